import type { KeyedReadModel } from '../read-model';
import { Column, selectByKeys, toIso, toNullableInt, upsertRows } from '../sql-rows';
import { evolveLoyaltyCard, LoyaltyCard, loyaltyCardKeys, pointsUnreadable } from './loyalty-card.evolve';

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
  { name: 'source_time_untrusted', type: 'boolean' },
  { name: 'last_event_id', type: 'text' },
];

export function loyaltyCardFromRow(row: Record<string, any>): LoyaltyCard {
  return {
    voucherId: row.voucher_id,
    code: row.code,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    customerId: row.customer_id,
    points: toNullableInt(row.points),
    balance: toNullableInt(row.balance),
    redeemedPoints: toNullableInt(row.redeemed_points),
    expiredPoints: toNullableInt(row.expired_points),
    subtractedPoints: toNullableInt(row.subtracted_points),
    pendingPoints: toNullableInt(row.pending_points),
    updatedAt: toIso(row.updated_at),
    sourceTimeUntrusted: row.source_time_untrusted === true,
    lastEventId: row.last_event_id,
  };
}

/** The row of a card (snake_case, like Voucherify). */
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
    source_time_untrusted: card.sourceTimeUntrusted,
    last_event_id: card.lastEventId,
  };
}

/** What the API answers for a card: its row, and whether an amount could not be read (those are null). */
export function loyaltyCardView(card: LoyaltyCard) {
  return { ...loyaltyCardToRow(card), points_unreadable: pointsUnreadable(card) };
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
