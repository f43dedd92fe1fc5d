import type { Pool } from 'pg';
import { parseStoredBody, sameJson, StoredBody } from './stored-body';
import type { AppendResult, NewEvent } from './types';

// The content of an event is its type and its `data`; envelope fields (delivery id, send time)
// legitimately differ between retries of one event. Compared parsed, so key order and whitespace
// do not matter (numbers as JavaScript reads them, -0 as 0, as jsonb did). An event an erasure redacted cannot be compared
// with a retry of what was received: a retry of its type is taken as a duplicate (its signature
// was checked).
const FIND_EXISTING = `
  SELECT x.n, e.global_position, e.event_type, e.redacted_by IS NOT NULL AS redacted, e.raw_body, e.decoded_body
  FROM unnest($1::text[]) WITH ORDINALITY AS x(event_id, n)
  JOIN events e ON e.event_id = x.event_id`;

const dataOf = (body: unknown): unknown => (body !== null && typeof body === 'object' ? (body as { data?: unknown }).data : undefined);

/**
 * What became of events an INSERT … ON CONFLICT DO NOTHING skipped: a duplicate of the stored
 * event (same type and data) or a conflict with it, in the order given. Undefined where no row
 * exists after all: a concurrent insert of that id rolled back, and the caller appends it again.
 */
export async function classifyExisting(pool: Pool, events: NewEvent[]): Promise<(AppendResult | undefined)[]> {
  const results: (AppendResult | undefined)[] = new Array(events.length).fill(undefined);
  const existing = await pool.query<StoredBody & { n: string; global_position: string; event_type: string; redacted: boolean }>({
    name: 'classify-existing', // duplicates are everyday traffic (retries)
    text: FIND_EXISTING,
    values: [events.map((e) => e.eventId)],
  });
  for (const row of existing.rows) {
    const position = Number(row.global_position);
    const event = events[Number(row.n) - 1];
    const sameContent =
      row.event_type === event.type && (row.redacted || sameJson(dataOf(parseStoredBody(row)) ?? null, dataOf(JSON.parse(event.payloadJson)) ?? null));
    results[Number(row.n) - 1] = sameContent ? { outcome: 'duplicate', position } : { outcome: 'conflict', position, storedType: row.event_type };
  }
  return results;
}
