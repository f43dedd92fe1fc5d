import { BenchPostgres } from '../support/postgres';
import { BenchService } from '../support/service';
import { load } from '../support/load';
import { withCpuPerRequest } from '../support/cpu';

export const CUSTOMERS = 100_000;

/** 100,000 customers with a card and five ledger entries each, written straight into the read models. */
export async function seed(pool: import('pg').Pool): Promise<void> {
  await pool.query(`
    INSERT INTO customers (id, source_id, name, email, metadata, profile_event_id)
    SELECT 'cust_' || i, 'src-' || i, 'Customer ' || i, 'c' || i || '@example.com', '{"tier":"gold"}', 'ev_' || i
    FROM generate_series(1, ${CUSTOMERS}) i`);
  await pool.query(`
    INSERT INTO loyalty_cards (voucher_id, code, campaign_id, campaign_name, customer_id, points, balance, updated_at, last_event_id)
    SELECT 'v_' || i, 'CODE' || i, 'camp_1', 'Loyalty', 'cust_' || i, i % 1000, i % 700, now(), 'ev_' || i
    FROM generate_series(1, ${CUSTOMERS}) i`);
  await pool.query(`
    INSERT INTO ledger_entries (voucher_id, entry_key, transaction_id, transaction_type, unit, kind, points, stated_balance_after,
                                balance_before, balance_after, gap_before, occurred_at, seq, reason, event_ids, event_type, derived,
                                campaign_id, total_after, redeemed_after, expired_after, subtracted_after)
    SELECT 'v_' || i, 'vtx_' || i || '_' || k, 'vtx_' || i || '_' || k, 'POINTS_ACCRUAL', 'points', 'accrued', 10, 10 * k,
           10 * (k - 1), 10 * k, 0, now() - (6 - k) * interval '1 day', k, 'earning rule: ern_1', jsonb_build_array('ev_' || i || '_' || k),
           'voucher.loyalty_card.transaction.created', false, 'camp_1', 10 * k, 0, 0, 0
    FROM generate_series(1, ${CUSTOMERS}) i, generate_series(1, 5) k`);
  await pool.query('ANALYZE');
}

export async function queriesScenario(pg: BenchPostgres, seconds: number) {
  const { url, pool } = await pg.createDatabase('queries');
  await seed(pool);
  const service = await BenchService.start({ DATABASE_URL: url, PROJECTOR: 'off', VOUCHERIFY_WEBHOOK_SECRETS: 'bench-webhook-secret-0123456789' });
  try {
    const random = () => 1 + Math.floor(Math.random() * CUSTOMERS);
    const customerLoad = () =>
      withCpuPerRequest(service.pid, () =>
        load({ url: service.baseUrl, connections: 32, durationSeconds: seconds, request: () => ({ path: `/customers/cust_${random()}` }) }),
      );
    // A time between the entries: each card's balance then is one index probe away.
    const asOf = encodeURIComponent(new Date(Date.now() - 2.5 * 86_400_000).toISOString());
    const asOfLoad = () =>
      withCpuPerRequest(service.pid, () =>
        load({ url: service.baseUrl, connections: 32, durationSeconds: seconds, request: () => ({ path: `/customers/cust_${random()}?as_of=${asOf}` }) }),
      );
    // Alternated rounds (A B A B A B), the median round of each: the as-of ratio is read against
    // the plain read of the same moments on this noisy machine.
    const customerRounds = [];
    const asOfRounds = [];
    for (let round = 0; round < 3; round++) {
      customerRounds.push(await customerLoad());
      asOfRounds.push(await asOfLoad());
    }
    const median = <T extends { requestsPerSecond: number }>(rounds: T[]) =>
      [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(rounds.length / 2)];
    const customer = median(customerRounds);
    const asOfCustomer = median(asOfRounds);
    const history = await withCpuPerRequest(service.pid, () =>
      load({ url: service.baseUrl, connections: 32, durationSeconds: seconds, request: () => ({ path: `/customers/cust_${random()}/points-history` }) }),
    );
    return {
      customers: CUSTOMERS,
      customer_requests_per_second: Math.round(customer.requestsPerSecond),
      customer_p99_ms: customer.p99Ms,
      customer_non2xx: customer.non2xx + customer.errors,
      customer_service_cpu_us_per_request: customer.serviceCpuUsPerRequest,
      customer_postgres_cpu_us_per_request: customer.postgresCpuUsPerRequest,
      as_of_requests_per_second: Math.round(asOfCustomer.requestsPerSecond),
      as_of_p99_ms: asOfCustomer.p99Ms,
      as_of_non2xx: asOfCustomer.non2xx + asOfCustomer.errors,
      as_of_service_cpu_us_per_request: asOfCustomer.serviceCpuUsPerRequest,
      as_of_postgres_cpu_us_per_request: asOfCustomer.postgresCpuUsPerRequest,
      as_of_ratio_to_customer: Math.round((asOfCustomer.requestsPerSecond / customer.requestsPerSecond) * 100) / 100,
      history_requests_per_second: Math.round(history.requestsPerSecond),
      history_p99_ms: history.p99Ms,
      history_non2xx: history.non2xx + history.errors,
      history_service_cpu_us_per_request: history.serviceCpuUsPerRequest,
      history_postgres_cpu_us_per_request: history.postgresCpuUsPerRequest,
    };
  } finally {
    await service.stop();
  }
}
