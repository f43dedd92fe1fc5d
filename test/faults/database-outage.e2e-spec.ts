import { BlackholeProxy } from '../support/blackhole-proxy';
import { PostgresProcess } from '../support/postgres-process';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';

const SECRET = 'whsec-test-0123456789abcdef';

/** The suite's shared server must not be stopped, so this test runs a PostgreSQL of its own. */
describe('database outage', () => {
  let postgres: PostgresProcess;
  let service: TestApp;

  beforeAll(async () => {
    postgres = await PostgresProcess.create();
    await postgres.start();
    service = await startTestApp(postgres.url, { webhookSecrets: [SECRET] });
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await postgres?.destroy();
  });

  const send = () =>
    postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', { customer: { id: 'cust_outage' } })), {
      secret: SECRET,
    });

  /*
   * A read whose statement loses a race (here: cancelled while it waits for a lock, SQLSTATE
   * 57014) is a failure a retry can cure, like a database that is away: 503 with Retry-After, as
   * ingest answers, never a 500. libs/event-store/src/database-errors.ts decides it for every route.
   */
  it('answers a read cancelled by the database 503 with Retry-After, and the next read succeeds', async () => {
    const { Client } = await import('pg');
    const locker = new Client({ connectionString: postgres.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
      const answer = fetch(`${service.baseUrl}/customers/cust_locked_out`);
      // The service's read now waits for the lock: cancel that statement, as a DBA or a lock timeout would.
      let cancelled = false;
      for (let attempt = 0; attempt < 100 && !cancelled; attempt++) {
        const { rows } = await locker.query<{ cancelled: boolean }>(
          `SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        cancelled = rows.some((r) => r.cancelled);
        if (!cancelled) await new Promise((r) => setTimeout(r, 50));
      }
      expect(cancelled).toBe(true);
      const response = await answer;
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({ status: 503 });
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    expect((await fetch(`${service.baseUrl}/customers/cust_locked_out`)).status).toBe(404);
  });

  it('answers 503 with Retry-After within 5 s while the database is down, then recovers by itself', async () => {
    expect((await send()).status).toBe(202);

    await postgres.stop();
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const response = await send();
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.json).toMatchObject({ status: 503, code: 'database_unavailable' });
      expect(elapsed).toBeLessThan(5000);
    }
    const ready = await fetch(`${service.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);

    await postgres.start();
    // The pool reconnects on demand; the first attempts may still meet a server finishing start-up.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 202; attempt++) {
      status = (await send()).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(202);
    expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(200);
  }, 120_000);

  it('answers 503 within 5 s when the database stops answering without closing connections', async () => {
    const proxy = new BlackholeProxy(postgres.port);
    await proxy.start();
    const viaProxy = await startTestApp(postgres.url.replace(`:${postgres.port}/`, `:${proxy.port}/`), {
      webhookSecrets: [SECRET],
    });
    try {
      const body = () => JSON.stringify(envelope('customer.created', { customer: { id: 'cust_partition' } }));
      expect((await postWebhook(viaProxy.baseUrl, body(), { secret: SECRET })).status).toBe(202);

      proxy.swallow();
      const started = Date.now();
      const responses = await Promise.all([1, 2, 3].map(() => postWebhook(viaProxy.baseUrl, body(), { secret: SECRET })));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(responses.map((r) => r.status)).toEqual([503, 503, 503]);

      proxy.heal();
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 202; attempt++) {
        status = (await postWebhook(viaProxy.baseUrl, body(), { secret: SECRET })).status;
        if (status !== 202) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(202);
    } finally {
      proxy.heal();
      await viaProxy.close();
      await proxy.stop();
    }
  }, 120_000);

  it('loses no acknowledged event when the database stops and restarts under load', async () => {
    const acknowledged = new Set<string>();
    const answers = new Map<number, number>();
    let sending = true;
    let slowest = 0;
    const sender = async (worker: number) => {
      for (let n = 0; sending; n++) {
        const body = JSON.stringify(envelope('customer.created', { customer: { id: `cust_load_${worker}_${n}` } }));
        const started = Date.now();
        const answer = await postWebhook(service.baseUrl, body, { secret: SECRET }).catch(() => ({ status: 0, json: undefined }));
        slowest = Math.max(slowest, Date.now() - started);
        answers.set(answer.status, (answers.get(answer.status) ?? 0) + 1);
        if (answer.status === 202) acknowledged.add(answer.json.event_id);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const senders = [0, 1, 2, 3].map(sender);
    await new Promise((r) => setTimeout(r, 500));
    await postgres.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await postgres.start();
    await new Promise((r) => setTimeout(r, 1500));
    sending = false;
    await Promise.all(senders);

    expect([...answers.keys()].filter((status) => status !== 202 && status !== 503)).toEqual([]);
    expect(answers.get(503)).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(5000);
    const stored = await fetch(`${service.baseUrl}/health/ready`);
    expect(stored.status).toBe(200);
    const { Client } = await import('pg');
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT event_id FROM events WHERE event_id = ANY($1::text[])', [[...acknowledged]]);
      expect(rows.length).toBe(acknowledged.size);
    } finally {
      await client.end();
    }
    console.log(`outage: ${acknowledged.size} acknowledged and all found, ${answers.get(503)} answered 503 while down, slowest answer ${slowest} ms`);
  }, 120_000);
});
