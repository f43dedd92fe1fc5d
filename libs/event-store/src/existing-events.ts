import type { Pool } from 'pg';
import type { AppendResult, NewEvent } from './types';

// The content of an event is its type and its `data`; envelope fields (delivery id, send time)
// legitimately differ between retries of one event. Compared as jsonb, so key order and
// whitespace do not matter. An event an erasure redacted cannot be compared with a retry of what
// was received: a retry of its type is taken as a duplicate (its signature was checked).
const FIND_EXISTING = `
  SELECT x.n, e.global_position, e.event_type,
         (e.event_type = x.event_type AND (e.redacted_by IS NOT NULL OR e.payload -> 'data' IS NOT DISTINCT FROM (x.payload::jsonb) -> 'data')) AS same_content
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(event_id, event_type, payload, n)
  JOIN events e ON e.event_id = x.event_id`;

/**
 * What became of events an INSERT … ON CONFLICT DO NOTHING skipped: a duplicate of the stored
 * event (same type and data) or a conflict with it, in the order given. Undefined where no row
 * exists after all: a concurrent insert of that id rolled back, and the caller appends it again.
 */
export async function classifyExisting(pool: Pool, events: NewEvent[]): Promise<(AppendResult | undefined)[]> {
  const results: (AppendResult | undefined)[] = new Array(events.length).fill(undefined);
  const existing = await pool.query<{ n: string; global_position: string; event_type: string; same_content: boolean }>({
    name: 'classify-existing', // duplicates are everyday traffic (retries)
    text: FIND_EXISTING,
    values: [events.map((e) => e.eventId), events.map((e) => e.type), events.map((e) => e.payloadJson)],
  });
  for (const row of existing.rows) {
    const position = Number(row.global_position);
    results[Number(row.n) - 1] = row.same_content
      ? { outcome: 'duplicate', position }
      : { outcome: 'conflict', position, storedType: row.event_type };
  }
  return results;
}
