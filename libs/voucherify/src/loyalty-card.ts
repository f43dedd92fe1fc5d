import { amount, bool, calendarDay, obj, str } from './json-values';

/**
 * A voucher as Voucherify shows it, in a webhook's `data.voucher` or an API answer, read once
 * here for every reader (the card read model, the ledger, reconciliation). A loyalty card
 * carries `loyalty_card`, a gift card `gift` (docs/voucherify.md, section 6). Amounts read as
 * `amount` does: undefined when absent (Voucherify leaves zero fields out), null when given but
 * unreadable.
 */
export interface VoucherifyVoucher {
  id: string;
  code: string | undefined;
  /** `LOYALTY_CARD`, `GIFT_VOUCHER`, `DISCOUNT_VOUCHER`, ... */
  type: string | undefined;
  campaignId: string | undefined;
  /** The campaign's name (`campaign`). */
  campaignName: string | undefined;
  holderId: string | undefined;
  active: boolean | undefined;
  /** As given; a reader checks it as a source time. */
  updatedAt: unknown;
  /** `loyalty_card`, present on a loyalty card. */
  loyaltyCard: LoyaltyCardAmounts | undefined;
  /** `gift`, present on a gift card: its balance in credits. */
  gift: { balance: number | null | undefined } | undefined;
  /** `redemption.redeemed_points`. */
  redeemedPoints: number | null | undefined;
}

export interface LoyaltyCardAmounts {
  /** Points earned over the card's life (docs/voucherify.md, section 9). */
  points: number | null | undefined;
  /** Points the card can spend now. */
  balance: number | null | undefined;
  expiredPoints: number | null | undefined;
  subtractedPoints: number | null | undefined;
  pendingPoints: number | null | undefined;
  /** `next_expiration_date`: the day the card's next points expire (`YYYY-MM-DD`); undefined when not given or not a date. */
  nextExpirationDate: string | undefined;
  /** `next_expiration_points`: how many points expire then. */
  nextExpirationPoints: number | null | undefined;
}

/** The voucher `value` is, or undefined when it is not an object with an id. */
export function parseVoucher(value: unknown): VoucherifyVoucher | undefined {
  const voucher = obj(value);
  const id = str(voucher?.id);
  if (!voucher || !id) return undefined;
  const card = obj(voucher.loyalty_card);
  const gift = obj(voucher.gift);
  return {
    id,
    code: str(voucher.code),
    type: str(voucher.type),
    campaignId: str(voucher.campaign_id),
    campaignName: str(voucher.campaign),
    holderId: str(voucher.holder_id),
    active: bool(voucher.active),
    updatedAt: voucher.updated_at,
    loyaltyCard: card && {
      points: amount(card.points),
      balance: amount(card.balance),
      expiredPoints: amount(card.expired_points),
      subtractedPoints: amount(card.subtracted_points),
      pendingPoints: amount(card.pending_points),
      nextExpirationDate: calendarDay(card.next_expiration_date),
      nextExpirationPoints: amount(card.next_expiration_points),
    },
    gift: gift && { balance: amount(gift.balance) },
    redeemedPoints: amount(obj(voucher.redemption)?.redeemed_points),
  };
}

/** Whether the voucher is a loyalty card: by its type, or by the card it carries. */
export const isLoyaltyCard = (voucher: VoucherifyVoucher): boolean => voucher.type === 'LOYALTY_CARD' || voucher.loyaltyCard !== undefined;
