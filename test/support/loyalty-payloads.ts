/**
 * A loyalty card and a loyalty transaction as Voucherify's webhooks carry them (`data.voucher`,
 * `data.transaction`: docs/voucherify.md, sections 6 and 8), for tests that send a card's
 * history by hand.
 */
export interface TestCard {
  id: string;
  code: string;
  campaignId: string;
  campaignName?: string;
  holderId: string;
}

/** The card as a webhook shows it at `updatedAt`. */
export const cardAt = (card: TestCard, updatedAt: string, points: number, balance: number) => ({
  id: card.id,
  code: card.code,
  type: 'LOYALTY_CARD',
  ...(card.campaignName ? { campaign: card.campaignName } : {}),
  campaign_id: card.campaignId,
  holder_id: card.holderId,
  updated_at: updatedAt,
  loyalty_card: { points, balance },
});

/** One transaction of the card: `points` the signed change, `balance` the card's balance after it. */
export const cardTransaction = (
  card: TestCard,
  id: string,
  type: string,
  points: number,
  balance: number,
  createdAt: string,
  reason: string | null = null,
) => ({
  id,
  type,
  voucher_id: card.id,
  campaign_id: card.campaignId,
  source_id: null,
  reason,
  created_at: createdAt,
  details: { balance: { type: 'loyalty_card', points, total: balance, balance, related_object: { id: card.id, type: 'voucher' } } },
});
