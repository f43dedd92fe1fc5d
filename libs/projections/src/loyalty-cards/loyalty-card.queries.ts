import type { Pool } from 'pg';
import { campaignStatusSql } from '../campaigns/campaign.evolve';
import { customerRows } from '../customer-view/customer-view.queries';
import { columnNames } from '../sql-rows';
import { LOYALTY_CARDS_TABLE, loyaltyCardView } from './loyalty-cards.read-model';

const CARD_COLUMNS = `${columnNames(LOYALTY_CARDS_TABLE.columns)}, ${campaignStatusSql('loyalty_cards.campaign_id')} AS campaign_status`;

/** The customer's cards ($1: id or source_id), deleted ones included (status says so); null when the customer is unknown. */
export async function listLoyaltyCards(pool: Pool, idOrSourceId: string) {
  const rows = await customerRows(pool, {
    name: 'customer-loyalty-cards',
    select: `SELECT ${CARD_COLUMNS} FROM loyalty_cards WHERE customer_id = customer.resolved_id`,
    orderBy: 'code, voucher_id',
    key: 'voucher_id',
    values: [idOrSourceId],
  });
  return rows && rows.map((row) => loyaltyCardView(LOYALTY_CARDS_TABLE.fromRow(row), row.campaign_status));
}

/** One card by voucher id or code (the id first when both match), with its status; null when unknown. */
export async function findLoyaltyCard(pool: Pool, idOrCode: string) {
  const result = await pool.query({
    name: 'find-loyalty-card',
    text: `SELECT ${CARD_COLUMNS} FROM loyalty_cards WHERE voucher_id = $1 OR code = $1 ORDER BY (voucher_id = $1) DESC, voucher_id LIMIT 1`,
    values: [idOrCode],
  });
  const row = result.rows[0];
  return row ? loyaltyCardView(LOYALTY_CARDS_TABLE.fromRow(row), row.campaign_status) : null;
}

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
