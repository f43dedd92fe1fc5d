import { once } from 'node:events';
import type { Pool } from 'pg';
import { COMMIT_SAFE_START, CommitSafeCursor, formatCommitSafeCursor, parseCommitSafeCursor } from './commit-safe-cursor';

const PAGE = 1000;
const NEWLINE = Buffer.from('\n');

/** Where an export stopped, in commit-safe order (the same cursor as GET /events/stream's event ids). */
export type ExportCursor = CommitSafeCursor;
export const EXPORT_START = COMMIT_SAFE_START;
export const formatExportCursor = formatCommitSafeCursor;
export const parseExportCursor = parseCommitSafeCursor;

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
