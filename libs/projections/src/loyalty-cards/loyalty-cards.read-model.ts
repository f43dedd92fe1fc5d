import { CampaignStatus, withCampaignStatus } from '../campaigns/campaign.evolve';
import type { KeyedReadModel } from '../read-model';
import { oneRowPerDocument, tableMapping } from '../table-mapping';
import { CardSnapshot, cardSnapshotOf } from './card-snapshot';
import { LoyaltyCard, pointsUnreadable, withSnapshot } from './loyalty-card.evolve';

/** pg reads a `date` as a Date at local midnight: back to its `YYYY-MM-DD`, with the local getters. */
const dayOf = (value: unknown) =>
  value instanceof Date ? `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}` : (value ?? null);

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
  { name: 'next_expiration_date', type: 'date', field: 'nextExpirationDate', read: dayOf },
  { name: 'next_expiration_points', type: 'bigint', field: 'nextExpirationPoints' },
  { name: 'counters_at', type: 'timestamptz', field: 'countersAt' },
  { name: 'counters_event_id', type: 'text', field: 'countersEventId' },
  { name: 'updated_at', type: 'timestamptz', field: 'updatedAt' },
  { name: 'source_time_untrusted', type: 'boolean', field: 'sourceTimeUntrusted' },
  { name: 'last_event_id', type: 'text', field: 'lastEventId' },
  { name: 'change_points', type: 'bigint', field: 'changePoints' },
  { name: 'active', type: 'boolean', field: 'active' },
  { name: 'deleted', type: 'boolean', field: 'deleted' },
  { name: 'deleted_at', type: 'timestamptz', field: 'deletedAt' },
  // The card's own state; the API folds its campaign's in (loyaltyCardView).
  { name: 'status', type: 'text', field: 'status' },
]);

/**
 * What the API answers for a card: its row, its status with its campaign's folded in (the row's
 * own is the card's alone), and whether an amount could not be read (those are null).
 */
export function loyaltyCardView(card: LoyaltyCard, campaignStatus: CampaignStatus | null = null) {
  const { deleted: _deleted, change_points: _changePoints, counters_at: _countersAt, counters_event_id: _countersEventId, ...row } = LOYALTY_CARDS_TABLE.toRow(card);
  return {
    ...row,
    voucher_id: card.voucherId,
    status: withCampaignStatus(card.status, campaignStatus),
    campaign_status: campaignStatus,
    points_unreadable: pointsUnreadable(card),
  };
}

export const loyaltyCardsReadModel: KeyedReadModel<LoyaltyCard, CardSnapshot> = {
  name: 'loyalty_cards',
  tables: ['loyalty_cards'],
  read: (event) => {
    const snapshot = cardSnapshotOf(event);
    return snapshot ? { event, keys: [snapshot.voucherId], facts: snapshot } : null;
  },
  evolve: (state, { event, facts }) => withSnapshot(state, facts, event),
  ...oneRowPerDocument(LOYALTY_CARDS_TABLE, 'voucher_id', (c) => c.voucherId),
};
