import { KeyedReadModel, readKeys } from '../read-model';
import { tableMapping } from '../table-mapping';
import { evolveHolderAssignment, HolderAssignment, holderAssignmentKeys } from './holder-assignment.evolve';
import { evolveVoucherHolding, VoucherHolding, voucherHoldingKeys } from './voucher-holding.evolve';

export const VOUCHER_HOLDINGS_TABLE = tableMapping<VoucherHolding>('voucher_holdings', ['voucher_id'], [
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'customer_id', type: 'text', field: 'customerId' },
  { name: 'code', type: 'text', field: 'code' },
  { name: 'type', type: 'text', field: 'type' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'campaign_name', type: 'text', field: 'campaignName' },
  { name: 'active', type: 'boolean', field: 'active' },
  { name: 'discount', type: 'jsonb', field: 'discount' },
  { name: 'gift', type: 'jsonb', field: 'gift' },
  { name: 'quantity', type: 'bigint', field: 'quantity' },
  { name: 'redeemed_quantity', type: 'bigint', field: 'redeemedQuantity' },
  { name: 'acquired_at', type: 'timestamptz', field: 'acquiredAt' },
  { name: 'acquired_via', type: 'text', field: 'acquiredVia' },
  { name: 'acquired_event_id', type: 'text', field: 'acquiredEventId' },
  { name: 'deleted', type: 'boolean', field: 'deleted' },
  { name: 'status', type: 'text', field: 'status' },
  { name: 'snapshot_at', type: 'timestamptz', field: 'snapshotAt' },
  { name: 'snapshot_event_id', type: 'text', field: 'snapshotEventId' },
  { name: 'quantity_unreadable', type: 'boolean', field: 'quantityUnreadable' },
  { name: 'acquired_at_untrusted', type: 'boolean', field: 'acquiredAtUntrusted' },
  { name: 'snapshot_at_untrusted', type: 'boolean', field: 'snapshotAtUntrusted' },
]);

export const HOLDER_ASSIGNMENTS_TABLE = tableMapping<HolderAssignment>('voucher_holder_assignments', ['holder_id'], [
  { name: 'holder_id', type: 'text', field: 'holderId' },
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'customer_id', type: 'text', field: 'customerId' },
  { name: 'holder_role', type: 'text', field: 'holderRole' },
  { name: 'code', type: 'text', field: 'code' },
  { name: 'type', type: 'text', field: 'type' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'campaign_name', type: 'text', field: 'campaignName' },
  { name: 'assigned_at', type: 'timestamptz', field: 'assignedAt' },
  { name: 'assigned_at_untrusted', type: 'boolean', field: 'assignedAtUntrusted' },
  { name: 'assigned_event_id', type: 'text', field: 'assignedEventId' },
  { name: 'removed', type: 'boolean', field: 'removed' },
  { name: 'removed_event_id', type: 'text', field: 'removedEventId' },
]);

/*
 * Two kinds of document in one projection: a voucher's holding by its holder_id (key `v:` + voucher
 * id) and a holder assignment (key `h:` + rh_ id). The prefixes keep the two key spaces apart
 * whatever ids a payload carries.
 */
type HoldingDocument = VoucherHolding | HolderAssignment;
const VOUCHER = 'v:';
const HOLDER = 'h:';

export const voucherHoldingsReadModel: KeyedReadModel<HoldingDocument> = {
  name: 'voucher_holdings',
  tables: ['voucher_holdings', 'voucher_holder_assignments'],
  read: readKeys((event) => [...voucherHoldingKeys(event).map((id) => VOUCHER + id), ...holderAssignmentKeys(event).map((id) => HOLDER + id)]),
  evolve: (state, { event }, key) =>
    key.startsWith(VOUCHER)
      ? evolveVoucherHolding(state as VoucherHolding | undefined, event, key.slice(VOUCHER.length))
      : evolveHolderAssignment(state as HolderAssignment | undefined, event),
  async load(client, keys) {
    const ids = (prefix: string) => keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    const holdings = await VOUCHER_HOLDINGS_TABLE.selectByKeys(client, 'voucher_id', ids(VOUCHER));
    const assignments = ids(HOLDER).length > 0 ? await HOLDER_ASSIGNMENTS_TABLE.selectByKeys(client, 'holder_id', ids(HOLDER)) : [];
    return new Map<string, HoldingDocument>([
      ...holdings.map((h) => [VOUCHER + h.voucherId, h] as const),
      ...assignments.map((a) => [HOLDER + a.holderId, a] as const),
    ]);
  },
  async save(client, changed) {
    const of = (prefix: string) => [...changed].filter(([key]) => key.startsWith(prefix)).map(([, doc]) => doc);
    await VOUCHER_HOLDINGS_TABLE.upsert(client, of(VOUCHER) as VoucherHolding[]);
    await HOLDER_ASSIGNMENTS_TABLE.upsert(client, of(HOLDER) as HolderAssignment[]);
  },
};
