import type { KeyedReadModel } from '../read-model';
import { sourceTimeColumns, tableMapping } from '../table-mapping';
import { buildPendingChain, PendingMovement } from './pending-chain';
import { MAX_PENDING_EVENT_IDS, PendingFact, pendingFactOf } from './pending-facts';

/** A card's pending ledger: every movement of its pending points, whole (a card has few). */
export interface PendingLedger {
  voucherId: string;
  movements: PendingMovement[];
}

export const PENDING_MOVEMENTS_TABLE = tableMapping<PendingMovement>('pending_point_movements', ['voucher_id', 'movement_key'], [
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'movement_key', type: 'text', field: 'movementKey' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'movement', type: 'text', field: 'movement' },
  { name: 'entry_id', type: 'text', field: 'entryId' },
  { name: 'stated_change', type: 'bigint', field: 'statedChange' },
  { name: 'stated_after', type: 'bigint', field: 'statedAfter' },
  { name: 'entry_points', type: 'bigint', field: 'entryPoints' },
  { name: 'activates_at', type: 'timestamptz', field: 'activatesAt' },
  { name: 'order_id', type: 'text', field: 'orderId' },
  { name: 'transaction_id', type: 'text', field: 'transactionId' },
  ...sourceTimeColumns<PendingMovement>('occurred_at'),
  { name: 'event_ids', type: 'jsonb', field: 'eventIds' },
  { name: 'event_type', type: 'text', field: 'eventType' },
  { name: 'points', type: 'bigint', field: 'points' },
  { name: 'pending_before', type: 'bigint', field: 'pendingBefore', read: Number },
  { name: 'pending_after', type: 'bigint', field: 'pendingAfter', read: Number },
  { name: 'gap_before', type: 'bigint', field: 'gapBefore', read: Number },
  { name: 'seq', type: 'integer', field: 'seq' },
]);

/**
 * Adds a report of a movement; twins (the same key) are one movement, named by every report and
 * figured from the one with the smallest event id, whatever the arrival order.
 */
export function withPendingFact(state: PendingLedger | undefined, fact: PendingFact): PendingLedger {
  const current = state ?? { voucherId: fact.voucherId, movements: [] };
  const eventId = fact.eventIds[0];
  const known = current.movements.find((m) => m.movementKey === fact.movementKey);
  if (known?.eventIds.includes(eventId)) return current;
  if (known && known.eventIds.length >= MAX_PENDING_EVENT_IDS && eventId > known.eventIds[MAX_PENDING_EVENT_IDS - 1]) return current;
  const eventIds = [...(known?.eventIds ?? []), eventId].sort().slice(0, MAX_PENDING_EVENT_IDS);
  const source: PendingFact = known && known.eventIds[0] < eventId ? known : fact;
  // A twin that names the transaction (or states a figure) the kept report left out fills it in.
  const merged: PendingFact = {
    ...source,
    eventIds,
    transactionId: source.transactionId ?? known?.transactionId ?? fact.transactionId,
    statedChange: source.statedChange ?? known?.statedChange ?? fact.statedChange,
    statedAfter: source.statedAfter ?? known?.statedAfter ?? fact.statedAfter,
    entryPoints: source.entryPoints ?? known?.entryPoints ?? fact.entryPoints,
  };
  const facts = [...current.movements.filter((m) => m !== known), merged];
  return { voucherId: current.voucherId, movements: buildPendingChain(facts) };
}

export const pendingPointsReadModel: KeyedReadModel<PendingLedger, PendingFact> = {
  name: 'pending_points',
  tables: ['pending_point_movements'],
  read: (event) => {
    const fact = pendingFactOf(event);
    return fact ? { event, keys: [fact.voucherId], facts: fact } : null;
  },
  evolve: (state, { facts }) => withPendingFact(state, facts),
  async load(client, keys) {
    const rows = await PENDING_MOVEMENTS_TABLE.selectByKeys(client, 'voucher_id', keys);
    const ledgers = new Map<string, PendingLedger>();
    for (const m of rows) {
      const ledger = ledgers.get(m.voucherId) ?? ledgers.set(m.voucherId, { voucherId: m.voucherId, movements: [] }).get(m.voucherId)!;
      ledger.movements.push(m);
    }
    return ledgers;
  },
  // Keys never go away (a movement once reported stays): each changed card's movements are upserted whole.
  save: (client, changed) => PENDING_MOVEMENTS_TABLE.upsert(client, [...changed.values()].flatMap((l) => l.movements)),
};
