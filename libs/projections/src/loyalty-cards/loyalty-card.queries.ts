import type { Pool } from 'pg';
import { loyaltyCardFromRow } from './loyalty-cards.read-model';
import type { LoyaltyCard } from './loyalty-card.evolve';

export function presentLoyaltyCard(card: LoyaltyCard) {
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

export async function listLoyaltyCards(pool: Pool, customerId: string) {
  const result = await pool.query(`SELECT * FROM loyalty_cards WHERE customer_id = $1 ORDER BY code, voucher_id`, [customerId]);
  return result.rows.map((row) => presentLoyaltyCard(loyaltyCardFromRow(row)));
}
