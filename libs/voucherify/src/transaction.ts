import { parseBalance, VoucherifyBalance } from './balance';
import { obj, str } from './json-values';

/**
 * A loyalty-card or gift-card transaction (`vtx_...`), as a webhook's `data.transaction` or the
 * API's transaction lists show it (docs/voucherify.md, section 8). Voucherify reports one
 * transaction through several webhooks; each report carries the same figures.
 */
export interface VoucherifyTransaction {
  id: string;
  /** The card, when the transaction names it (webhooks may name it only in `data.voucher`). */
  voucherId: string | undefined;
  campaignId: string | undefined;
  /** `POINTS_ACCRUAL`, `POINTS_REDEMPTION`, `CREDITS_ADDITION`, ...; undefined when not given. */
  type: string | undefined;
  reason: string | undefined;
  /** As given; a reader checks it as a source time. */
  createdAt: unknown;
  sourceId: string | undefined;
  relatedTransactionId: string | undefined;
  /** `details`: the objects that caused the transaction (order, redemption, reward, earning rule...). */
  details: Record<string, any>;
  /** `details.balance`: the change and the balance after it. */
  balance: VoucherifyBalance | undefined;
}

/** The transaction `value` is, or undefined when it is not an object with an id. */
export function parseTransaction(value: unknown): VoucherifyTransaction | undefined {
  const transaction = obj(value);
  const id = str(transaction?.id);
  if (!transaction || !id) return undefined;
  const details = obj(transaction.details) ?? {};
  return {
    id,
    voucherId: str(transaction.voucher_id),
    campaignId: str(transaction.campaign_id),
    type: str(transaction.type),
    reason: str(transaction.reason),
    createdAt: transaction.created_at,
    sourceId: str(transaction.source_id),
    relatedTransactionId: str(transaction.related_transaction_id),
    details,
    balance: parseBalance(details.balance),
  };
}
