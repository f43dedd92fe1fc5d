import { once } from 'node:events';
import type { Pool } from 'pg';

const PAGE = 1000;
const NEWLINE = Buffer.from('\n');

/**
 * Writes the log as NDJSON, in position order, one envelope per line: the exact bytes received
 * when they hold no line break, else the stored JSON (the same event, compacted). Streams by
 * keyset pages, so memory stays flat whatever the size of the log.
 */
export async function exportEvents(pool: Pool, out: NodeJS.WritableStream, after = 0): Promise<number> {
  let cursor = after;
  let written = 0;
  for (;;) {
    const page = await pool.query<{ global_position: string; raw_body: Buffer; payload_text: string }>(
      `SELECT global_position, raw_body, payload::text AS payload_text FROM events
       WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [cursor, PAGE],
    );
    for (const row of page.rows) {
      const line = row.raw_body.includes(0x0a) || row.raw_body.includes(0x0d) ? Buffer.from(row.payload_text) : row.raw_body;
      if (!out.write(Buffer.concat([line, NEWLINE]))) await once(out, 'drain');
      written++;
    }
    if (page.rows.length < PAGE) return written;
    cursor = Number(page.rows[page.rows.length - 1].global_position);
  }
}
