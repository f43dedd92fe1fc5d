import type { KeyedReadModel } from '../read-model';
import { compareStamps, ProjectedEvent, Stamp } from '../projected-event';
import { cardSnapshotOf } from '../loyalty-cards/card-snapshot';
import { Column, toIso, toNullableInt, upsertRows } from '../sql-rows';
import { CardHistory, evolvePointsHistory, PointsHistoryEntry, pointsHistoryKeys } from './points-history.evolve';

const COLUMNS: Column[] = [
  { name: 'voucher_id', type: 'text' },
  { name: 'event_id', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'event_type', type: 'text' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'delta', type: 'bigint' },
  { name: 'balance_after', type: 'bigint' },
  { name: 'explicit_delta', type: 'boolean' },
  { name: 'reason', type: 'text' },
  { name: 'related_id', type: 'text' },
  { name: 'source_time_untrusted', type: 'boolean' },
];

function fromRow(row: Record<string, any>): PointsHistoryEntry {
  return {
    voucherId: row.voucher_id,
    eventId: row.event_id,
    customerId: row.customer_id,
    eventType: row.event_type,
    occurredAt: toIso(row.occurred_at),
    delta: toNullableInt(row.delta),
    balanceAfter: toNullableInt(row.balance_after),
    explicitDelta: row.explicit_delta,
    reason: row.reason,
    relatedId: row.related_id,
    sourceTimeUntrusted: row.source_time_untrusted === true,
  };
}

function toRow(e: PointsHistoryEntry): Record<string, unknown> {
  return {
    voucher_id: e.voucherId,
    event_id: e.eventId,
    customer_id: e.customerId,
    event_type: e.eventType,
    occurred_at: e.occurredAt,
    delta: e.delta,
    balance_after: e.balanceAfter,
    explicit_delta: e.explicitDelta,
    reason: e.reason,
    related_id: e.relatedId,
    source_time_untrusted: e.sourceTimeUntrusted,
  };
}

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
      const entry = fromRow(row);
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
    await upsertRows(client, 'points_history', ['voucher_id', 'event_id'], COLUMNS, [...changed.values()].flatMap((h) => h.entries.map(toRow)));
  },
};
