import { amount, obj, str } from './json-values';

/**
 * A `balance` object: the change one transaction made to a card and what the card held after it
 * (docs/voucherify.md, sections 6 and 8). Webhooks carry it at `data.balance` or inside a
 * transaction's `details.balance`. Amounts read as `amount` does: undefined when absent, null
 * when given but unreadable.
 */
export interface VoucherifyBalance {
  /** `loyalty_card`, `gift_voucher`, ...; undefined when not given, null when given but not text. */
  type: string | null | undefined;
  /** Signed change in points (a loyalty card). */
  points: number | null | undefined;
  /** Signed change in credits (a gift card). */
  amount: number | null | undefined;
  /** What the card held after the change. */
  balance: number | null | undefined;
  /** Not the card's lifetime points: it drops on removals and transfers out (docs/voucherify.md, section 9). */
  total: number | null | undefined;
  /** The card the change is about (`related_object.id`), when given. */
  relatedObjectId: string | undefined;
}

export function parseBalance(value: unknown): VoucherifyBalance | undefined {
  const balance = obj(value);
  if (!balance) return undefined;
  return {
    type: balance.type === undefined ? undefined : typeof balance.type === 'string' ? balance.type : null,
    points: amount(balance.points),
    amount: amount(balance.amount),
    balance: amount(balance.balance),
    total: amount(balance.total),
    relatedObjectId: str(obj(balance.related_object)?.id),
  };
}
