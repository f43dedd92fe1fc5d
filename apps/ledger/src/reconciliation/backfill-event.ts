import type { CardInVoucherify, TransactionInVoucherify } from './voucherify-api';

export const BACKFILL_EVENT_TYPE = 'voucher.loyalty_card.transaction.created';

/** The event id of a backfilled transaction: derived from the transaction id, so a rerun appends nothing. */
export const backfillEventId = (transactionId: string) => `evrec_${transactionId}`;

/**
 * A transaction Voucherify has and the ledger lacks, as the webhook Voucherify would have sent:
 * `voucher.loyalty_card.transaction.created` with the transaction exactly as the API listed it,
 * and the card named by its stable fields, dated at the transaction (the balance it shows comes
 * from the transaction's own `details.balance`). Built only from what does not change, so the
 * same transaction always gives the same bytes: a rerun is a duplicate, never a conflict.
 */
export function backfillBody(transaction: TransactionInVoucherify, card: CardInVoucherify): Buffer {
  const at = transaction.created_at;
  const voucher: Record<string, unknown> = {
    id: transaction.voucher_id,
    code: card.code,
    type: 'LOYALTY_CARD',
    campaign: card.campaign,
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
