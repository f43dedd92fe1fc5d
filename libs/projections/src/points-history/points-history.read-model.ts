import type { KeyedReadModel } from '../read-model';
import { compareStamps } from '../projected-event';
import { Column, toInt, toIso } from '../sql-rows';
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
];

function fromRow(row: Record<string, any>): PointsHistoryEntry {
  return {
    voucherId: row.voucher_id,
    eventId: row.event_id,
    customerId: row.customer_id,
    eventType: row.event_type,
    occurredAt: toIso(row.occurred_at),
    delta: toInt(row.delta),
    balanceAfter: toInt(row.balance_after),
    explicitDelta: row.explicit_delta,
    reason: row.reason,
    relatedId: row.related_id,
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
  };
}

/** A card's whole history is one document: a late event may change its neighbours' deltas. */
export const pointsHistoryReadModel: KeyedReadModel<CardHistory> = {
  name: 'points_history',
  tables: ['points_history'],
  keysOf: pointsHistoryKeys,
  evolve: (state, event) => evolvePointsHistory(state, event),
  async load(client, keys) {
    const result = await client.query(`SELECT * FROM points_history WHERE voucher_id = ANY($1::text[])`, [keys]);
    const histories = new Map<string, CardHistory>();
    for (const row of result.rows) {
      const entry = fromRow(row);
      const history = histories.get(entry.voucherId) ?? { voucherId: entry.voucherId, entries: [] };
      history.entries.push(entry);
      histories.set(entry.voucherId, history);
    }
    const stampOf = (e: PointsHistoryEntry) => ({ at: e.occurredAt, eventId: e.eventId });
    for (const history of histories.values()) history.entries.sort((a, b) => compareStamps(stampOf(a), stampOf(b)));
    return histories;
  },
  async save(client, changed) {
    const rows = [...changed.values()].flatMap((h) => h.entries.map(toRow));
    await client.query(`DELETE FROM points_history WHERE voucher_id = ANY($1::text[])`, [[...changed.keys()]]);
    const names = COLUMNS.map((c) => c.name).join(', ');
    const definition = COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ');
    await client.query(
      `INSERT INTO points_history (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${definition})`,
      [JSON.stringify(rows)],
    );
  },
};
