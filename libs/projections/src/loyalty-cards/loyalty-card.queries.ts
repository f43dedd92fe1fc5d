import type { Pool } from 'pg';
import { customerRows } from '../customers/customer.queries';
import { columnNames } from '../sql-rows';
import { LOYALTY_CARDS_TABLE, loyaltyCardView } from './loyalty-cards.read-model';

/** The customer's cards ($1: id or source_id); null when the customer is unknown. */
export async function listLoyaltyCards(pool: Pool, idOrSourceId: string) {
  const rows = await customerRows(pool, {
    name: 'customer-loyalty-cards',
    select: `SELECT ${columnNames(LOYALTY_CARDS_TABLE.columns)} FROM loyalty_cards WHERE customer_id = customer.resolved_id`,
    orderBy: 'code, voucher_id',
    key: 'voucher_id',
    values: [idOrSourceId],
  });
  return rows && rows.map((row) => loyaltyCardView(LOYALTY_CARDS_TABLE.fromRow(row)));
}

/** A card by voucher id or code, at its newest snapshot; null when unknown. */
export async function findLoyaltyCard(pool: Pool, idOrCode: string) {
  const result = await pool.query({
    name: 'find-loyalty-card',
    text: `SELECT ${columnNames(LOYALTY_CARDS_TABLE.columns)} FROM loyalty_cards
           WHERE voucher_id = $1 OR code = $1 ORDER BY (voucher_id = $1) DESC LIMIT 1`,
    values: [idOrCode],
  });
  return result.rows[0] ? loyaltyCardView(LOYALTY_CARDS_TABLE.fromRow(result.rows[0])) : null;
}
