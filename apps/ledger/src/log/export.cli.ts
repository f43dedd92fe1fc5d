import { once } from 'node:events';
import type { Pool } from 'pg';
import { bodyTextSql, LOG_START, LogCursor, readAfter } from '@ledger/event-store';

const PAGE = 1000;
const NEWLINE = Buffer.from('\n');

/**
 * Writes the log as NDJSON, one envelope per line: the exact bytes received when they hold no line
 * break, else the stored JSON (the same event, compacted). In the order projectors read
 * (`transaction_id`, then position) and only below the oldest transaction still running, so
 * the next export, started from the returned cursor, gets exactly the events this one could not
 * see yet: nothing twice, nothing missed. Streams by keyset pages, in constant memory.
 */
export async function exportEvents(pool: Pool, out: NodeJS.WritableStream, after: LogCursor = LOG_START): Promise<{ written: number; next: LogCursor }> {
  let cursor = after;
  let written = 0;
  for (;;) {
    const rows = await readAfter<{ raw_body: Buffer; payload_text: string }>(pool, cursor, {
      limit: PAGE,
      // Compacted by PostgreSQL only for the (rare) bodies with a line break.
      columns: `e.raw_body, CASE WHEN position('\\x0a'::bytea IN e.raw_body) > 0 OR position('\\x0d'::bytea IN e.raw_body) > 0
                THEN ${bodyTextSql('e')}::jsonb::text END AS payload_text`,
    });
    for (const row of rows) {
      const line = row.raw_body.includes(0x0a) || row.raw_body.includes(0x0d) ? Buffer.from(row.payload_text) : row.raw_body;
      if (!out.write(Buffer.concat([line, NEWLINE]))) await once(out, 'drain');
      written++;
    }
    const last = rows[rows.length - 1];
    if (last) cursor = { transactionId: last.transaction_id, position: Number(last.global_position) };
    if (rows.length < PAGE) return { written, next: cursor };
  }
}
