import { once } from 'node:events';
import type { Pool } from 'pg';

const PAGE = 1000;
const NEWLINE = Buffer.from('\n');

/**
 * Where an export stopped, in commit-safe order: the last event's `<transaction_id>:<position>`.
 * A bare position is not enough: a transaction still open when an export runs can commit a lower
 * position afterwards, which a "position > N" export would never see.
 */
export interface ExportCursor {
  transactionId: string;
  position: number;
}

export const EXPORT_START: ExportCursor = { transactionId: '0', position: 0 };

export function formatExportCursor(cursor: ExportCursor): string {
  return `${cursor.transactionId}:${cursor.position}`;
}

export function parseExportCursor(text: string): ExportCursor | undefined {
  const match = /^(\d{1,20}):(\d{1,18})$/.exec(text.trim());
  return match ? { transactionId: match[1], position: Number(match[2]) } : undefined;
}

/**
 * Writes the log as NDJSON, one envelope per line: the exact bytes received when they hold no line
 * break, else the stored JSON (the same event, compacted). In the order projectors read
 * (`transaction_id`, then position) and only below the oldest transaction still running, so
 * the next export, started from the returned cursor, gets exactly the events this one could not
 * see yet: nothing twice, nothing missed. Streams by keyset pages, in constant memory.
 */
export async function exportEvents(pool: Pool, out: NodeJS.WritableStream, after: ExportCursor = EXPORT_START): Promise<{ written: number; next: ExportCursor }> {
  let cursor = after;
  let written = 0;
  for (;;) {
    const page = await pool.query<{ transaction_id: string; global_position: string; raw_body: Buffer; payload_text: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position, raw_body, payload::text AS payload_text FROM events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY events.transaction_id, events.global_position LIMIT $3`,
      [cursor.transactionId, cursor.position, PAGE],
    );
    for (const row of page.rows) {
      const line = row.raw_body.includes(0x0a) || row.raw_body.includes(0x0d) ? Buffer.from(row.payload_text) : row.raw_body;
      if (!out.write(Buffer.concat([line, NEWLINE]))) await once(out, 'drain');
      written++;
    }
    const last = page.rows[page.rows.length - 1];
    if (last) cursor = { transactionId: last.transaction_id, position: Number(last.global_position) };
    if (page.rows.length < PAGE) return { written, next: cursor };
  }
}
