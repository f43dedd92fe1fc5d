import type { KeyedReadModel } from '../read-model';
import { tableMapping } from '../table-mapping';
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

export const voucherHoldingsReadModel: KeyedReadModel<VoucherHolding> = {
  name: 'voucher_holdings',
  tables: ['voucher_holdings'],
  keysOf: voucherHoldingKeys,
  evolve: evolveVoucherHolding,
  async load(client, keys) {
    const holdings = await VOUCHER_HOLDINGS_TABLE.selectByKeys(client, 'voucher_id', keys);
    return new Map(holdings.map((holding) => [holding.voucherId, holding]));
  },
  save: (client, changed) => VOUCHER_HOLDINGS_TABLE.upsert(client, changed.values()),
};
