import { BenchPostgres } from '../support/postgres';
import { BenchService } from '../support/service';
import { load } from '../support/load';
import { withCpuPerRequest } from '../support/cpu';

const CUSTOMERS = 100_000;

/** 100,000 customers with a card and five history entries each, written straight into the read models. */
async function seed(pool: import('pg').Pool): Promise<void> {
  await pool.query(`
    INSERT INTO customers (id, source_id, name, email, metadata, profile_event_id)
    SELECT 'cust_' || i, 'src-' || i, 'Customer ' || i, 'c' || i || '@example.com', '{"tier":"gold"}', 'ev_' || i
    FROM generate_series(1, ${CUSTOMERS}) i`);
  await pool.query(`
    INSERT INTO loyalty_cards (voucher_id, code, campaign_id, campaign_name, customer_id, points, balance, updated_at, last_event_id)
    SELECT 'v_' || i, 'CODE' || i, 'camp_1', 'Loyalty', 'cust_' || i, i % 1000, i % 700, now(), 'ev_' || i
    FROM generate_series(1, ${CUSTOMERS}) i`);
  await pool.query(`
    INSERT INTO points_history (voucher_id, event_id, customer_id, event_type, occurred_at, delta, balance_after, explicit_delta, reason)
    SELECT 'v_' || i, 'ev_' || i || '_' || k, 'cust_' || i, 'voucher.loyalty_card.points_added', now() - k * interval '1 day', 10, 10 * k, true, 'accrual'
    FROM generate_series(1, ${CUSTOMERS}) i, generate_series(1, 5) k`);
  await pool.query('ANALYZE');
}

export async function queriesScenario(pg: BenchPostgres, seconds: number) {
  const { url, pool } = await pg.createDatabase('queries');
  await seed(pool);
  const service = await BenchService.start({ DATABASE_URL: url, PROJECTOR: 'off', VOUCHERIFY_WEBHOOK_SECRETS: 'bench-webhook-secret-0123456789' });
  try {
    const random = () => 1 + Math.floor(Math.random() * CUSTOMERS);
    const customer = await withCpuPerRequest(service.pid, () =>
      load({ url: service.baseUrl, connections: 32, durationSeconds: seconds, request: () => ({ path: `/customers/cust_${random()}` }) }),
    );
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
