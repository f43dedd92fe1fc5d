import type { Pool } from 'pg';
import { filteredCustomerList, filteredCustomerRows } from '../customer-view/customer-view.queries';
import { columnNames } from '../sql-rows';
import type { RewardRedemption } from './reward-redemption.evolve';
import { REWARD_REDEMPTIONS_TABLE } from './reward-redemptions.read-model';

/** The API's view of a redemption: its row, without the state machine's inputs. */
function present(redemption: RewardRedemption) {
  const { observations: _inputs, created_at_untrusted: _createdAtUntrusted, ...row } = REWARD_REDEMPTIONS_TABLE.toRow(redemption);
  return {
    ...row,
    // A time shown here is the received time standing in for one that could not be believed.
    source_time_untrusted: redemption.createdAtUntrusted || redemption.transitions.some((t) => t.at_untrusted === true),
  };
}

const CUSTOMER_REDEMPTIONS = filteredCustomerList({
  name: 'customer-reward-redemptions',
  table: 'reward_redemptions',
  columns: REWARD_REDEMPTIONS_TABLE.columns,
  filterColumn: 'state',
  orderBy: 'created_at DESC NULLS LAST, id',
  key: 'id',
});

/** The customer's redemptions ($1: id or source_id); null when the customer is unknown. */
export async function listRewardRedemptions(pool: Pool, idOrSourceId: string, state?: string) {
  const rows = await filteredCustomerRows(pool, CUSTOMER_REDEMPTIONS, idOrSourceId, state);
  return rows && rows.map((row) => present(REWARD_REDEMPTIONS_TABLE.fromRow(row)));
}

export async function findRewardRedemption(pool: Pool, id: string) {
  const result = await pool.query({
    name: 'find-reward-redemption',
    text: `SELECT ${columnNames(REWARD_REDEMPTIONS_TABLE.columns)} FROM reward_redemptions WHERE id = $1`,
    values: [id],
  });
  return result.rows[0] ? present(REWARD_REDEMPTIONS_TABLE.fromRow(result.rows[0])) : null;
}
