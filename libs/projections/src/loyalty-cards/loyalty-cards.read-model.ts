import type { KeyedReadModel } from '../read-model';
import { Column, selectByKeys, toInt, toIso, upsertRows } from '../sql-rows';
import { evolveLoyaltyCard, LoyaltyCard, loyaltyCardKeys } from './loyalty-card.evolve';

export const LOYALTY_CARD_COLUMNS: Column[] = [
  { name: 'voucher_id', type: 'text' },
  { name: 'code', type: 'text' },
  { name: 'campaign_id', type: 'text' },
  { name: 'campaign_name', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'points', type: 'bigint' },
  { name: 'balance', type: 'bigint' },
  { name: 'redeemed_points', type: 'bigint' },
  { name: 'expired_points', type: 'bigint' },
  { name: 'subtracted_points', type: 'bigint' },
  { name: 'pending_points', type: 'bigint' },
  { name: 'updated_at', type: 'timestamptz' },
  { name: 'last_event_id', type: 'text' },
];

export function loyaltyCardFromRow(row: Record<string, any>): LoyaltyCard {
  return {
    voucherId: row.voucher_id,
    code: row.code,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    customerId: row.customer_id,
    points: toInt(row.points),
    balance: toInt(row.balance),
    redeemedPoints: toInt(row.redeemed_points),
    expiredPoints: toInt(row.expired_points),
    subtractedPoints: toInt(row.subtracted_points),
    pendingPoints: toInt(row.pending_points),
    updatedAt: toIso(row.updated_at),
    lastEventId: row.last_event_id,
  };
}

/** The row of a card; also what the API answers (snake_case, like Voucherify). */
export function loyaltyCardToRow(card: LoyaltyCard) {
  return {
    voucher_id: card.voucherId,
    code: card.code,
    campaign_id: card.campaignId,
    campaign_name: card.campaignName,
    customer_id: card.customerId,
    points: card.points,
    balance: card.balance,
    redeemed_points: card.redeemedPoints,
    expired_points: card.expiredPoints,
    subtracted_points: card.subtractedPoints,
    pending_points: card.pendingPoints,
    updated_at: card.updatedAt,
    last_event_id: card.lastEventId,
  };
}

export const loyaltyCardsReadModel: KeyedReadModel<LoyaltyCard> = {
  name: 'loyalty_cards',
  tables: ['loyalty_cards'],
  keysOf: loyaltyCardKeys,
  evolve: (state, event) => evolveLoyaltyCard(state, event),
  async load(client, keys) {
    const rows = await selectByKeys<Record<string, any>>(client, 'loyalty_cards', 'voucher_id', LOYALTY_CARD_COLUMNS, keys);
    return new Map(rows.map((row) => [row.voucher_id, loyaltyCardFromRow(row)]));
  },
  async save(client, changed) {
    await upsertRows(client, 'loyalty_cards', ['voucher_id'], LOYALTY_CARD_COLUMNS, [...changed.values()].map(loyaltyCardToRow));
  },
};
