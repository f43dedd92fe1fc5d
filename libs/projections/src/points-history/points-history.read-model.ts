import type { KeyedReadModel } from '../read-model';
import { compareStamps, ProjectedEvent, Stamp } from '../projected-event';
import { cardSnapshotOf } from '../loyalty-cards/card-snapshot';
import { tableMapping } from '../table-mapping';
import { CardHistory, evolvePointsHistory, PointsHistoryEntry, pointsHistoryKeys } from './points-history.evolve';

const POINTS_HISTORY_TABLE = tableMapping<PointsHistoryEntry>('points_history', ['voucher_id', 'event_id'], [
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'event_id', type: 'text', field: 'eventId' },
  { name: 'customer_id', type: 'text', field: 'customerId' },
  { name: 'event_type', type: 'text', field: 'eventType' },
  { name: 'occurred_at', type: 'timestamptz', field: 'occurredAt' },
  { name: 'delta', type: 'bigint', field: 'delta' },
  { name: 'balance_after', type: 'bigint', field: 'balanceAfter' },
  { name: 'explicit_delta', type: 'boolean', field: 'explicitDelta' },
  { name: 'reason', type: 'text', field: 'reason' },
  { name: 'related_id', type: 'text', field: 'relatedId' },
  { name: 'source_time_untrusted', type: 'boolean', field: 'sourceTimeUntrusted' },
]);

/** Where each card's window starts: the oldest card snapshot of the batch for that card. */
function windowStarts(events: ProjectedEvent[]): Map<string, Stamp> {
  const starts = new Map<string, Stamp>();
  for (const event of events) {
    const snapshot = cardSnapshotOf(event);
    if (!snapshot) continue;
    const current = starts.get(snapshot.voucherId);
    if (!current || compareStamps(snapshot.stamp, current) < 0) starts.set(snapshot.voucherId, snapshot.stamp);
  }
  return starts;
}

const stampOf = (e: PointsHistoryEntry): Stamp => ({ at: e.occurredAt, eventId: e.eventId });

/**
 * Per card, the entries from the window start on and the one entry just before (the baseline).
 * Ordering mirrors compareStamps: a missing time first, then time, then event id in code-unit
 * order (COLLATE "C").
 */
const LOAD_WINDOWS = `
  WITH w AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS w(voucher_id, at, event_id))
  SELECT h.* FROM w
  CROSS JOIN LATERAL (
    (SELECT p.*, false AS before_window FROM points_history p
      WHERE p.voucher_id = w.voucher_id
        AND (COALESCE(p.occurred_at, '-infinity'::timestamptz), p.event_id COLLATE "C") >= (COALESCE(w.at, '-infinity'::timestamptz), w.event_id COLLATE "C"))
    UNION ALL
    (SELECT p.*, true AS before_window FROM points_history p
      WHERE p.voucher_id = w.voucher_id
        AND (COALESCE(p.occurred_at, '-infinity'::timestamptz), p.event_id COLLATE "C") < (COALESCE(w.at, '-infinity'::timestamptz), w.event_id COLLATE "C")
      ORDER BY COALESCE(p.occurred_at, '-infinity'::timestamptz) DESC, p.event_id COLLATE "C" DESC LIMIT 1)
  ) h`;

export const pointsHistoryReadModel: KeyedReadModel<CardHistory> = {
  name: 'points_history',
  tables: ['points_history'],
  keysOf: pointsHistoryKeys,
  evolve: (state, event) => evolvePointsHistory(state, event),
  async load(client, keys, events) {
    const starts = windowStarts(events);
    const cards = keys.filter((k) => starts.has(k));
    const result = await client.query(LOAD_WINDOWS, [
      cards,
      cards.map((k) => starts.get(k)!.at),
      cards.map((k) => starts.get(k)!.eventId),
    ]);
    const histories = new Map<string, CardHistory>();
    for (const row of result.rows) {
      const entry = POINTS_HISTORY_TABLE.fromRow(row);
      const history = histories.get(entry.voucherId) ?? { voucherId: entry.voucherId, entries: [], baseline: 0 };
      if (row.before_window) history.baseline = entry.balanceAfter;
      else history.entries.push(entry);
      histories.set(entry.voucherId, history);
    }
    for (const history of histories.values()) history.entries.sort((a, b) => compareStamps(stampOf(a), stampOf(b)));
    return histories;
  },
  async save(client, changed) {
    // Entries are never removed: upserting the window rewrites what moved (new entries, and the
    // neighbours whose derived delta changed).
    await POINTS_HISTORY_TABLE.upsert(client, [...changed.values()].flatMap((h) => h.entries));
  },
};
