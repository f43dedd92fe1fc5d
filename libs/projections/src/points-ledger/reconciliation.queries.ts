import type { Pool } from 'pg';

/** A card's transaction as the ledger holds it (derived entries left out): what reconciliation compares. */
export interface LedgerTransaction {
  transaction_id: string;
  transaction_type: string | null;
  /** The signed change: points, or a gift card's amount. */
  points: number | null;
  occurred_at: string | null;
}

/** A card as reconciliation compares it: its transactions, its balance after its newest entry (null: none yet). */
export interface CardInLedger {
  voucher_id: string;
  code: string | null;
  holder_id: string | null;
  campaign_id: string | null;
  balance: number | null;
  transactions: LedgerTransaction[];
}

/**
 * Every card of a campaign the ledger knows (or only `voucherIds`), with its transactions and balance,
 * in three statements whatever the number of cards: a whole campaign is compared at once. Gift cards
 * (credits) come the same way as loyalty cards.
 */
export async function campaignInLedger(pool: Pool, campaignId: string, voucherIds: string[] | null = null): Promise<Map<string, CardInLedger>> {
  const only = voucherIds === null ? '' : 'AND voucher_id = ANY($2::text[])';
  const values = voucherIds === null ? [campaignId] : [campaignId, voucherIds];
  const [cards, entries, balances] = await Promise.all([
    pool.query(`SELECT voucher_id, code, customer_id FROM loyalty_cards WHERE campaign_id = $1 ${only}`, values),
    pool.query(
      `SELECT voucher_id, transaction_id, transaction_type, points::float8 AS points, occurred_at FROM ledger_entries
        WHERE campaign_id = $1 ${only} AND transaction_id IS NOT NULL AND NOT derived`,
      values,
    ),
    pool.query(
      `SELECT DISTINCT ON (voucher_id) voucher_id, balance_after::float8 AS balance FROM ledger_entries
        WHERE campaign_id = $1 ${only} ORDER BY voucher_id, occurred_at DESC NULLS LAST, seq DESC`,
      values,
    ),
  ]);
  const found = new Map<string, CardInLedger>();
  const card = (voucherId: string) => {
    let c = found.get(voucherId);
    if (!c) found.set(voucherId, (c = { voucher_id: voucherId, code: null, holder_id: null, campaign_id: campaignId, balance: null, transactions: [] }));
    return c;
  };
  for (const r of cards.rows) Object.assign(card(r.voucher_id), { code: r.code, holder_id: r.customer_id });
  for (const r of balances.rows) card(r.voucher_id).balance = r.balance;
  for (const r of entries.rows) {
    card(r.voucher_id).transactions.push({
      transaction_id: r.transaction_id,
      transaction_type: r.transaction_type,
      points: r.points,
      occurred_at: r.occurred_at ? (r.occurred_at as Date).toISOString() : null,
    });
  }
  return found;
}

/** The cards named, by id or code, as the ledger knows them: id, code and campaign (reconcile --card). */
export async function cardsByIdOrCode(pool: Pool, idsOrCodes: string[]): Promise<{ voucher_id: string; code: string | null; campaign_id: string | null; asked: string }[]> {
  const { rows } = await pool.query(
    `SELECT DISTINCT ON (asked) asked, voucher_id, code, campaign_id FROM loyalty_cards JOIN unnest($1::text[]) AS asked ON voucher_id = asked OR code = asked
      ORDER BY asked, (voucher_id = asked) DESC, voucher_id`,
    [idsOrCodes],
  );
  return rows;
}

/** How many transactions the ledger holds for a campaign since a time: what a plan estimates a list's pages from. */
export async function transactionsSince(pool: Pool, campaignId: string, since: string | null): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM ledger_entries WHERE campaign_id = $1 AND transaction_id IS NOT NULL AND NOT derived AND ($2::timestamptz IS NULL OR occurred_at >= $2)`,
    [campaignId, since],
  );
  return rows[0].n;
}
