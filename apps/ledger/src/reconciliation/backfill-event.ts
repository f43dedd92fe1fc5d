import type { TransactionInVoucherify } from './voucherify-api';

export const BACKFILL_EVENT_TYPE = 'voucher.loyalty_card.transaction.created';

/** The event id of a backfilled transaction: derived from the transaction id, so a rerun appends nothing. */
export const backfillEventId = (transactionId: string) => `evrec_${transactionId}`;

/** What a backfill names its card by: fields a member call, the vouchers export and the ledger all give. */
export interface BackfilledCard {
  code: string | null;
  holder_id: string | null;
  campaign_id: string | null;
}

/**
 * A transaction Voucherify has and the ledger lacks, as the webhook Voucherify would have sent:
 * `voucher.loyalty_card.transaction.created` with the transaction's documented fields (keys
 * sorted, see `canonicalTransaction`), and the card named by its stable fields only, dated at the
 * transaction. The voucher carries no `loyalty_card`: its counters are not known here, and the
 * card keeps those of its last full snapshot; the balance it shows comes from the transaction's
 * own `details.balance`. Built only from what does not change, so the same transaction gives the
 * same bytes whichever read found it: a rerun is a duplicate, never a conflict.
 */
export function backfillBody(transaction: TransactionInVoucherify, card: BackfilledCard): Buffer {
  const at = transaction.created_at;
  const voucher: Record<string, unknown> = {
    id: transaction.voucher_id,
    code: card.code,
    type: 'LOYALTY_CARD',
    campaign_id: transaction.campaign_id ?? card.campaign_id,
    holder_id: card.holder_id,
    updated_at: at,
  };
  return Buffer.from(
    JSON.stringify({
      id: `whrec_${transaction.id}`,
      created_at: at,
      type: BACKFILL_EVENT_TYPE,
      data: { voucher, transaction: transaction.raw },
      event: { id: backfillEventId(transaction.id), type: BACKFILL_EVENT_TYPE, created_at: at },
    }),
  );
}
