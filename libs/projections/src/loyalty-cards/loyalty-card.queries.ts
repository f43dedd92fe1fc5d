import type { Pool } from 'pg';
import { loyaltyCardFromRow, loyaltyCardToRow } from './loyalty-cards.read-model';

export async function listLoyaltyCards(pool: Pool, customerId: string) {
  const result = await pool.query(`SELECT * FROM loyalty_cards WHERE customer_id = $1 ORDER BY code, voucher_id`, [customerId]);
  return result.rows.map((row) => loyaltyCardToRow(loyaltyCardFromRow(row)));
}
