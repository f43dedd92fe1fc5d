import type { Pool } from 'pg';

/** Cards with open gaps and the points they leave unexplained (for the metrics gauge). */
export async function openGapTotals(pool: Pool): Promise<{ cards: number; points: number }> {
  const result = await pool.query({
    name: 'ledger-open-gap-totals',
    text: `SELECT count(DISTINCT voucher_id)::bigint AS cards, COALESCE(sum(abs(points)), 0)::bigint AS points FROM ledger_gaps`,
    values: [],
  });
  return { cards: Number(result.rows[0].cards), points: Number(result.rows[0].points) };
}

/** Whether any card has an open gap (the scheduled reconciliation runs only then). */
export async function anyOpenGap(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query(`SELECT 1 FROM ledger_gaps LIMIT 1`);
  return rows.length > 0;
}

/** Every campaign with an open gap, in id order (reconciliation's --gaps-only). */
export async function campaignsWithGaps(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ campaign_id: string }>(
    `SELECT DISTINCT campaign_id FROM ledger_gaps WHERE campaign_id IS NOT NULL ORDER BY campaign_id`,
  );
  return rows.map((r) => r.campaign_id);
}

/** The cards of a campaign with an open gap. */
export async function cardsWithGaps(pool: Pool, campaignId: string): Promise<string[]> {
  const { rows } = await pool.query<{ voucher_id: string }>(`SELECT DISTINCT voucher_id FROM ledger_gaps WHERE campaign_id = $1`, [campaignId]);
  return rows.map((r) => r.voucher_id);
}

/** A card's points transactions as the ledger holds them (derived entries left out): what reconciliation compares. */
export interface CardTransaction {
  transaction_id: string;
  transaction_type: string | null;
  points: number | null;
  occurred_at: string | null;
}

/** A card's points transactions and its balance after its newest entry (null: no entry). */
export async function cardTransactions(pool: Pool, voucherId: string): Promise<{ transactions: CardTransaction[]; balance: number | null }> {
  const [transactions, balance] = await Promise.all([
    pool.query(
      `SELECT transaction_id, transaction_type, points::float8 AS points, occurred_at FROM ledger_entries
        WHERE voucher_id = $1 AND transaction_id IS NOT NULL AND NOT derived AND unit = 'points'`,
      [voucherId],
    ),
    pool.query(
      `SELECT balance_after::float8 AS balance FROM ledger_entries WHERE voucher_id = $1 AND unit = 'points' ORDER BY occurred_at DESC NULLS LAST, seq DESC LIMIT 1`,
      [voucherId],
    ),
  ]);
  return {
    transactions: transactions.rows.map((r) => ({
      transaction_id: r.transaction_id,
      transaction_type: r.transaction_type,
      points: r.points,
      occurred_at: r.occurred_at ? (r.occurred_at as Date).toISOString() : null,
    })),
    balance: balance.rows.length ? balance.rows[0].balance : null,
  };
}
