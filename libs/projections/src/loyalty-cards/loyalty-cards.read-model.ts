import type { KeyedReadModel } from '../read-model';
import { tableMapping } from '../table-mapping';
import { evolveLoyaltyCard, LoyaltyCard, loyaltyCardKeys, pointsUnreadable } from './loyalty-card.evolve';

export const LOYALTY_CARDS_TABLE = tableMapping<LoyaltyCard>('loyalty_cards', ['voucher_id'], [
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'code', type: 'text', field: 'code' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'campaign_name', type: 'text', field: 'campaignName' },
  { name: 'customer_id', type: 'text', field: 'customerId' },
  { name: 'points', type: 'bigint', field: 'points' },
  { name: 'balance', type: 'bigint', field: 'balance' },
  { name: 'redeemed_points', type: 'bigint', field: 'redeemedPoints' },
  { name: 'expired_points', type: 'bigint', field: 'expiredPoints' },
  { name: 'subtracted_points', type: 'bigint', field: 'subtractedPoints' },
  { name: 'pending_points', type: 'bigint', field: 'pendingPoints' },
  { name: 'updated_at', type: 'timestamptz', field: 'updatedAt' },
  { name: 'source_time_untrusted', type: 'boolean', field: 'sourceTimeUntrusted' },
  { name: 'last_event_id', type: 'text', field: 'lastEventId' },
]);

/** What the API answers for a card: its row, and whether an amount could not be read (those are null). */
export function loyaltyCardView(card: LoyaltyCard): Record<string, unknown> & { voucher_id: string; points_unreadable: boolean } {
  return { ...LOYALTY_CARDS_TABLE.toRow(card), voucher_id: card.voucherId, points_unreadable: pointsUnreadable(card) };
}

export const loyaltyCardsReadModel: KeyedReadModel<LoyaltyCard> = {
  name: 'loyalty_cards',
  tables: ['loyalty_cards'],
  keysOf: loyaltyCardKeys,
  evolve: (state, event) => evolveLoyaltyCard(state, event),
  async load(client, keys) {
    const cards = await LOYALTY_CARDS_TABLE.selectByKeys(client, 'voucher_id', keys);
    return new Map(cards.map((card) => [card.voucherId, card]));
  },
  save: (client, changed) => LOYALTY_CARDS_TABLE.upsert(client, changed.values()),
};
