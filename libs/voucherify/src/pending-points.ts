import { parseBalance } from './balance';
import { amount, obj, str } from './json-values';

/**
 * What a pending-points webhook says (docs/voucherify.md, section 9): the pending entry it is
 * about (`data.pending_points`: a `lopp_...` id, its points, when they activate, the order behind
 * them) and the change to the card's pending points (`data.voucher_pending_points_balance`:
 * `points` the signed change, `total` the pending points after). Amounts are read as `amount`
 * reads them; an unreadable one is treated as not given (the ledger then works the change out from
 * the entry's own points).
 */
export interface VoucherifyPendingPoints {
  /** The pending entry (`lopp_...`); undefined when the payload names none. */
  entryId: string | undefined;
  /** The entry's points (after an update; the points moved by a cancellation or an activation). */
  entryPoints: number | undefined;
  activatesAt: unknown;
  orderId: string | undefined;
  /** The signed change of the card's pending points, as stated. */
  change: number | undefined;
  /** The card's pending points after the change, as stated. */
  totalAfter: number | undefined;
}

const readable = (value: number | null | undefined): number | undefined => (value === null ? undefined : value);

export function parsePendingPoints(data: Record<string, any>): VoucherifyPendingPoints {
  const entry = obj(data.pending_points);
  const stated = parseBalance(data.voucher_pending_points_balance);
  return {
    entryId: str(entry?.id),
    entryPoints: readable(amount(entry?.points)),
    activatesAt: entry?.activates_at,
    orderId: str(entry?.order_id) ?? str(obj(data.order)?.id),
    change: readable(stated?.points),
    totalAfter: readable(stated?.total),
  };
}
