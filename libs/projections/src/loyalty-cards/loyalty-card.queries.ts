import type { Pool } from 'pg';

/** The campaign the ledger knows each card in; a card it has never seen is left out (reconciliation). */
export async function campaignsOfCards(pool: Pool, voucherIds: string[]): Promise<Map<string, string | null>> {
  const { rows } = await pool.query<{ voucher_id: string; campaign_id: string | null }>(
    `SELECT voucher_id, campaign_id FROM loyalty_cards WHERE voucher_id = ANY($1::text[])`,
    [voucherIds],
  );
  return new Map(rows.map((r) => [r.voucher_id, r.campaign_id]));
}

/** Every campaign the ledger has a card of, in id order. */
export async function campaignsWithCards(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ campaign_id: string }>(
    `SELECT DISTINCT campaign_id FROM loyalty_cards WHERE campaign_id IS NOT NULL ORDER BY campaign_id`,
  );
  return rows.map((r) => r.campaign_id);
}

/** The ids of a campaign's cards the ledger knows. */
export async function cardsOfCampaign(pool: Pool, campaignId: string): Promise<string[]> {
  const { rows } = await pool.query<{ voucher_id: string }>(`SELECT voucher_id FROM loyalty_cards WHERE campaign_id = $1`, [campaignId]);
  return rows.map((r) => r.voucher_id);
}
