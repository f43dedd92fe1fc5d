import type { Pool } from 'pg';
import { filteredCustomerList, filteredCustomerRows } from '../customers/customer.queries';
import type { Transition } from './reward-redemption.evolve';
import { REWARD_REDEMPTION_COLUMNS } from './reward-redemptions.read-model';

function present(row: Record<string, any>) {
  return {
    id: row.id,
    state: row.state,
    customer_id: row.customer_id,
    voucher_id: row.voucher_id,
    campaign_id: row.campaign_id,
    reward_id: row.reward_id,
    reward_name: row.reward_name,
    reward_type: row.reward_type,
    points: row.points === null ? null : Number(row.points),
    // The reward's points were given but are not a safe integer: points is null, not 0 or rounded.
    points_unreadable: row.points_unreadable,
    source_id: row.source_id,
    created_at: row.created_at ? row.created_at.toISOString() : null,
    updated_at: row.updated_at ? row.updated_at.toISOString() : null,
    // A time shown here is the received time standing in for one that could not be believed.
    source_time_untrusted: row.created_at_untrusted || (row.transitions as Transition[]).some((t) => t.at_untrusted === true),
    transitions: row.transitions,
  };
}

const CUSTOMER_REDEMPTIONS = filteredCustomerList({
  name: 'customer-reward-redemptions',
  table: 'reward_redemptions',
  columns: REWARD_REDEMPTION_COLUMNS,
  filterColumn: 'state',
  orderBy: 'created_at DESC NULLS LAST, id',
  key: 'id',
});

/** The customer's redemptions ($1: id or source_id); null when the customer is unknown. */
export async function listRewardRedemptions(pool: Pool, idOrSourceId: string, state?: string) {
  const rows = await filteredCustomerRows(pool, CUSTOMER_REDEMPTIONS, idOrSourceId, state);
  return rows && rows.map(present);
}

export async function findRewardRedemption(pool: Pool, id: string) {
  const result = await pool.query(`SELECT * FROM reward_redemptions WHERE id = $1`, [id]);
  return result.rows[0] ? present(result.rows[0]) : null;
}
