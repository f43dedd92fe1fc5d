import type { Pool } from 'pg';
import { customerRows } from '../customer-view/customer-view.queries';
import { columnNames } from '../sql-rows';
import { LOYALTY_TIERS_TABLE, loyaltyTierView } from './loyalty-tiers.read-model';

/** The customer's tier per loyalty campaign, with its history ($1: id or source_id); null when the customer is unknown. */
export async function listLoyaltyTiers(pool: Pool, idOrSourceId: string) {
  const rows = await customerRows(pool, {
    name: 'customer-loyalty-tiers',
    select: `SELECT ${columnNames(LOYALTY_TIERS_TABLE.columns)} FROM loyalty_tiers WHERE customer_id = customer.resolved_id`,
    orderBy: 'campaign_id',
    key: 'campaign_id',
    values: [idOrSourceId],
  });
  return rows && rows.map((row) => loyaltyTierView(LOYALTY_TIERS_TABLE.fromRow(row)));
}
