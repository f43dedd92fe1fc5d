import type { KeyedReadModel } from '../read-model';
import { Column, selectByKeys, toIso, upsertRows } from '../sql-rows';
import { evolveVoucherHolding, VoucherHolding, voucherHoldingKeys } from './voucher-holding.evolve';

export const VOUCHER_HOLDING_COLUMNS: Column[] = [
  { name: 'voucher_id', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'code', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'campaign_id', type: 'text' },
  { name: 'campaign_name', type: 'text' },
  { name: 'active', type: 'boolean' },
  { name: 'discount', type: 'jsonb' },
  { name: 'gift', type: 'jsonb' },
  { name: 'quantity', type: 'bigint' },
  { name: 'redeemed_quantity', type: 'bigint' },
  { name: 'acquired_at', type: 'timestamptz' },
  { name: 'acquired_via', type: 'text' },
  { name: 'acquired_event_id', type: 'text' },
  { name: 'deleted', type: 'boolean' },
  { name: 'status', type: 'text' },
  { name: 'snapshot_at', type: 'timestamptz' },
  { name: 'snapshot_event_id', type: 'text' },
  { name: 'quantity_unreadable', type: 'boolean' },
  { name: 'acquired_at_untrusted', type: 'boolean' },
  { name: 'snapshot_at_untrusted', type: 'boolean' },
];

const nullableInt = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export const voucherHoldingsReadModel: KeyedReadModel<VoucherHolding> = {
  name: 'voucher_holdings',
  tables: ['voucher_holdings'],
  keysOf: voucherHoldingKeys,
  evolve: evolveVoucherHolding,
  async load(client, keys) {
    const rows = await selectByKeys<Record<string, any>>(client, 'voucher_holdings', 'voucher_id', VOUCHER_HOLDING_COLUMNS, keys);
    return new Map(
      rows.map((row) => [
        row.voucher_id,
        {
          voucherId: row.voucher_id,
          customerId: row.customer_id,
          code: row.code,
          type: row.type,
          campaignId: row.campaign_id,
          campaignName: row.campaign_name,
          active: row.active,
          discount: row.discount,
          gift: row.gift,
          quantity: nullableInt(row.quantity),
          redeemedQuantity: nullableInt(row.redeemed_quantity),
          acquiredAt: toIso(row.acquired_at),
          acquiredVia: row.acquired_via,
          acquiredEventId: row.acquired_event_id,
          deleted: row.deleted,
          status: row.status,
          snapshotAt: toIso(row.snapshot_at),
          snapshotEventId: row.snapshot_event_id,
          quantityUnreadable: row.quantity_unreadable === true,
          acquiredAtUntrusted: row.acquired_at_untrusted === true,
          snapshotAtUntrusted: row.snapshot_at_untrusted === true,
        },
      ]),
    );
  },
  async save(client, changed) {
    const rows = [...changed.values()].map((h) => ({
      voucher_id: h.voucherId,
      customer_id: h.customerId,
      code: h.code,
      type: h.type,
      campaign_id: h.campaignId,
      campaign_name: h.campaignName,
      active: h.active,
      discount: h.discount,
      gift: h.gift,
      quantity: h.quantity,
      redeemed_quantity: h.redeemedQuantity,
      acquired_at: h.acquiredAt,
      acquired_via: h.acquiredVia,
      acquired_event_id: h.acquiredEventId,
      deleted: h.deleted,
      status: h.status,
      snapshot_at: h.snapshotAt,
      snapshot_event_id: h.snapshotEventId,
      quantity_unreadable: h.quantityUnreadable,
      acquired_at_untrusted: h.acquiredAtUntrusted,
      snapshot_at_untrusted: h.snapshotAtUntrusted,
    }));
    await upsertRows(client, 'voucher_holdings', ['voucher_id'], VOUCHER_HOLDING_COLUMNS, rows);
  },
};
