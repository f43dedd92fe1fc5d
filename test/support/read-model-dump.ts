import type { Pool } from 'pg';
import { ALL_READ_MODELS } from '../../libs/projections/src';

const ORDER_BY: Record<string, string> = {
  customers: 'id',
  loyalty_cards: 'voucher_id',
  ledger_entries: 'voucher_id, entry_key',
  ledger_observations: 'voucher_id, event_id',
  ledger_deletions: 'event_id',
  ledger_gaps: 'voucher_id, entry_key',
  pending_point_movements: 'voucher_id, movement_key',
  campaign_point_values: 'campaign_id, effective_from',
  campaign_revenue_estimates: 'campaign_id, effective_from',
  closed_periods: 'month',
  reward_redemptions: 'id',
  voucher_holdings: 'voucher_id',
  voucher_holder_assignments: 'holder_id',
  campaigns: 'id',
  loyalty_tiers: 'customer_id, campaign_id',
};

/** Every read-model table as ordered rows of text, for comparing two databases exactly. */
export async function dumpReadModels(pool: Pool): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of ALL_READ_MODELS.flatMap((m) => m.tables)) {
    const result = await pool.query(`SELECT t::text AS row FROM ${table} t ORDER BY ${ORDER_BY[table]}`);
    dump[table] = result.rows.map((r) => r.row);
  }
  return dump;
}
