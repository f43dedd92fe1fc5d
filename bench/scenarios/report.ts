import { BenchPostgres } from '../support/postgres';
import { BenchService } from '../support/service';

const CARDS = 100_000;
const ENTRIES_PER_CARD = 10;
const CAMPAIGNS = 10;
const ROUNDS = 5;

/**
 * 1,000,000 ledger entries (100,000 cards, 10 each, one every 30 days from 2024-01-01, over 10
 * campaigns), written straight into the table.
 */
async function seed(pool: import('pg').Pool): Promise<void> {
  await pool.query(`
    INSERT INTO ledger_entries (voucher_id, entry_key, transaction_id, transaction_type, unit, kind, points, stated_balance_after,
                                balance_before, balance_after, gap_before, occurred_at, seq, reason, event_ids, event_type, derived,
                                campaign_id, total_after, redeemed_after, expired_after, subtracted_after)
    SELECT 'v_' || i, 'vtx_' || i || '_' || k, 'vtx_' || i || '_' || k,
           CASE WHEN k % 4 = 0 THEN 'POINTS_REDEMPTION' ELSE 'POINTS_ACCRUAL' END, 'points',
           CASE WHEN k % 4 = 0 THEN 'redeemed' ELSE 'accrued' END,
           CASE WHEN k % 4 = 0 THEN -5 ELSE 10 END, 0, 0, 0, 0,
           timestamptz '2024-01-01' + (k * 30) * interval '1 day' + (i % 86400) * interval '1 second', k, null,
           '[]'::jsonb, 'voucher.loyalty_card.transaction.created', false, 'camp_' || (i % ${CAMPAIGNS}), 0, 0, 0, 0
    FROM generate_series(1, ${CARDS}) i, generate_series(1, ${ENTRIES_PER_CARD}) k`);
  // Running balances, as the projection writes them.
  await pool.query(`
    UPDATE ledger_entries e SET balance_after = r.running, balance_before = r.running - e.points, total_after = r.running
    FROM (SELECT voucher_id, entry_key, sum(points) OVER (PARTITION BY voucher_id ORDER BY seq) AS running FROM ledger_entries) r
    WHERE r.voucher_id = e.voucher_id AND r.entry_key = e.entry_key`);
  await pool.query('VACUUM ANALYZE ledger_entries');
}

/** The aggregate a month's report needs, and nothing else: movements by campaign and kind, balances at both ends. */
const BARE_SQL = `
  SELECT campaign_id, kind, sum(points) FROM ledger_entries
  WHERE unit = 'points' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY campaign_id, kind
  UNION ALL
  SELECT campaign_id, 'opening', sum(balance_after) FROM (
    SELECT DISTINCT ON (voucher_id) campaign_id, balance_after FROM ledger_entries
    WHERE unit = 'points' AND occurred_at < $1 ORDER BY voucher_id, occurred_at DESC, seq DESC) o GROUP BY campaign_id
  UNION ALL
  SELECT campaign_id, 'closing', sum(balance_after) FROM (
    SELECT DISTINCT ON (voucher_id) campaign_id, balance_after FROM ledger_entries
    WHERE unit = 'points' AND occurred_at < $2 ORDER BY voucher_id, occurred_at DESC, seq DESC) c GROUP BY campaign_id`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A one-month report over 1,000,000 entries, through the service, against the bare SQL aggregate, alternated. */
export async function reportScenario(pg: BenchPostgres) {
  const { url, pool } = await pg.createDatabase('report');
  await seed(pool);
  const service = await BenchService.start({ DATABASE_URL: url, PROJECTOR: 'off', VOUCHERIFY_WEBHOOK_SECRETS: 'bench-webhook-secret-0123456789' });
  const from = '2024-06-01T00:00:00.000Z';
  const to = '2024-07-01T00:00:00.000Z';
  try {
    const reportMs: number[] = [];
    const bareMs: number[] = [];
    let campaigns = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      const response = await fetch(`${service.baseUrl}/reports/points?from=${from}&to=${to}`);
      const body = await response.json();
      if (response.status !== 200) throw new Error(`report answered ${response.status}: ${JSON.stringify(body)}`);
      reportMs.push(performance.now() - started);
      campaigns = body.campaigns.length;
      started = performance.now();
      await pool.query(BARE_SQL, [from, to]);
      bareMs.push(performance.now() - started);
    }
    const report = median(reportMs);
    const bare = median(bareMs);
    return {
      entries: CARDS * ENTRIES_PER_CARD,
      campaigns,
      report_ms: Math.round(report),
      bare_sql_ms: Math.round(bare),
      ratio_to_bare_sql: Math.round((report / bare) * 100) / 100,
      rounds: ROUNDS,
    };
  } finally {
    await service.stop();
  }
}
