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
