import { Pool } from 'pg';
import { GroupCommitAppender, NewEvent } from '@ledger/event-store';
import { RefusalCounts } from '../../apps/ledger/src/rejected-deliveries/refusal-counts';
import { RejectedDeliveriesRetention } from '../../apps/ledger/src/rejected-deliveries/rejected-deliveries-retention';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook, uniqueId } from '../support/voucherify';

const SECRET = 'whsec-test-0123456789abcdef';

const deepJson = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  const body = JSON.stringify(envelope('customer.created', { customer: { id: uniqueId('cust_') } }));
  return {
    eventId: uniqueId('evn_'),
    deliveryId: null,
    type: 'customer.created',
    projectId: null,
    customerId: null,
    occurredAt: new Date(),
    occurredAtRaw: null,
    rawBody: Buffer.from(body),
    payloadJson: body,
    signatureStatus: 'verified',
    envelopeFormat: 'v2024-01-01',
    requestHeaders: {},
    ...overrides,
  };
}

/** One sender's bad body fails only itself: never its neighbours in a group commit, never the pool. */
describe('nothing a sender does can hurt the neighbours', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await db.pool.query(sql, params)).rows[0].count);

  it('a group-commit batch that fails on one event is retried one at a time, whatever the error', async () => {
    const pool = new Pool({ connectionString: db.url, max: 2 });
    try {
      // One flush at a time: the first append goes alone, all the others share the second batch.
      const appender = new GroupCommitAppender(pool, { maxBatch: 256, maxConcurrentFlushes: 1 });
      const events = Array.from({ length: 60 }, () => newEvent());
      // PostgreSQL refuses a NUL in a text column (22021) on this one...
      events[20] = newEvent({ eventId: `${uniqueId('evnul_')}\u0000` });
      // ...and this one breaks a CHECK constraint (23514): an error nobody listed as "data".
      events[40] = newEvent({ signatureStatus: 'forged' as NewEvent['signatureStatus'] });
      const results = await Promise.allSettled(events.map((e) => appender.append(e)));
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
      expect(failed).toEqual([20, 40]);
      expect(results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'appended')).toHaveLength(58);
      // (An id holding a NUL cannot even be asked for.)
      expect(await count('SELECT count(*) FROM events WHERE event_id = ANY($1)', [events.map((e) => e.eventId).filter((id) => !id.includes('\u0000'))])).toBe(58);
    } finally {
      await pool.end();
    }
  });

  describe('through the service', () => {
    let service: TestApp;

    beforeAll(async () => {
      service = await startTestApp(db.url, { webhookSecrets: [SECRET], projector: 'off', rejectedDeliveriesMaxMb: 1 });
    });
    afterAll(async () => {
      await service?.close();
    });

    it('refuses a body nested past the limit with 422 before the database, and its neighbours are stored', async () => {
      const deep = JSON.stringify(envelope('customer.created', { x: JSON.parse(deepJson(60)) })).replace(
        '"x":',
        `"x":${deepJson(20_000)},"y":`,
      );
      const honest = Array.from({ length: 200 }, () => JSON.stringify(envelope('customer.created', { customer: { id: uniqueId('cust_') } })));
      const bodies = [...honest.slice(0, 100), deep, ...honest.slice(100)];
      const answers = await Promise.all(bodies.map((body) => postWebhook(service.baseUrl, body, { secret: SECRET })));
      const deepAnswer = answers[100];
      expect(deepAnswer.status).toBe(422);
      expect(deepAnswer.json).toMatchObject({ code: 'payload_too_complex', message: 'the body is nested more than 64 levels deep' });
      expect(answers.filter((a, i) => i !== 100 && a.status === 202)).toHaveLength(200);
      // Signed, so kept whole for the operator: Voucherify would retry it for two days otherwise.
      expect(await count(`SELECT count(*) FROM rejected_deliveries WHERE reason = 'payload_too_complex' AND body_prefix IS NOT NULL`)).toBe(1);
    });

    it('refuses a body with more keys than the limit', async () => {
      const data = Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`k${i}`, i]));
      const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', data)), { secret: SECRET });
      expect(answer.status).toBe(422);
      expect(answer.json).toMatchObject({ code: 'payload_too_complex', message: 'the body has more than 10000 keys' });
    });

    it('counts an unsigned flood per minute and reason instead of keeping a row per request', async () => {
      const rowsBefore = await count('SELECT count(*) FROM rejected_deliveries');
      const flood = Array.from({ length: 300 }, (_, i) =>
        postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', { n: i })), i % 2 ? { signature: 'f'.repeat(64) } : {}),
      );
      expect((await Promise.all(flood)).every((a) => a.status === 401)).toBe(true);
      // A signed refusal in the middle of the flood is still kept whole.
      const signedBad = await postWebhook(service.baseUrl, '{"not":"an envelope"}', { secret: SECRET });
      expect(signedBad.status).toBe(422);
      await service.app.get(RefusalCounts).flush();

      expect(await count('SELECT count(*) FROM rejected_deliveries')).toBe(rowsBefore + 1);
      const counted = await db.pool.query(
        `SELECT reason, status_code, sum(deliveries)::int AS deliveries, sum(body_bytes)::int > 0 AS sized
         FROM rejected_delivery_counts GROUP BY reason, status_code ORDER BY reason`,
      );
      expect(counted.rows).toEqual([
        { reason: 'invalid_signature', status_code: 401, deliveries: 150, sized: true },
        { reason: 'missing_signature', status_code: 401, deliveries: 150, sized: true },
      ]);
    });

    it('records a signed refusal of an event id holding a NUL', async () => {
      const eventId = `${uniqueId('evnul_')}\u0000`;
      const body = JSON.stringify(envelope('customer.created', {}, { eventId }));
      const answer = await postWebhook(service.baseUrl, body, { secret: SECRET });
      expect(answer.status).toBe(422);
      // Refused before the envelope is read: no body holding U+0000 is stored (the log could not read it as JSON).
      expect(answer.json).toMatchObject({ code: 'unstorable_payload', message: expect.stringContaining('U+0000') });
      const kept = await db.pool.query(`SELECT reason, detail, body_prefix FROM rejected_deliveries ORDER BY id DESC LIMIT 1`);
      expect(kept.rows[0]).toMatchObject({ reason: 'unstorable_payload', body_prefix: Buffer.from(body) });
      expect(kept.rows[0].detail).toContain('U+0000');
    });

    it('holds rejected_deliveries under its byte budget, keeping the newest', async () => {
      await db.pool.query(
        `INSERT INTO rejected_deliveries (status_code, reason, detail, body_prefix)
         SELECT 422, 'filler', 'detail',
                (SELECT decode(string_agg(md5(random()::text || n || k), ''), 'hex') FROM generate_series(1, 64) k)
         FROM generate_series(1, 3000) n`,
      );
      await db.pool.query(`INSERT INTO rejected_deliveries (status_code, reason) VALUES (422, 'newest')`);
      const bytes = async () => Number((await db.pool.query('SELECT coalesce(sum(pg_column_size(r.*)), 0) AS b FROM rejected_deliveries r')).rows[0].b);
      expect(await bytes()).toBeGreaterThan(2 * 1024 * 1024);
      expect(await service.app.get(RejectedDeliveriesRetention).prune()).toBeGreaterThan(0);
      expect(await bytes()).toBeLessThanOrEqual(1024 * 1024);
      expect(await bytes()).toBeGreaterThan(900 * 1024);
      expect(await count(`SELECT count(*) FROM rejected_deliveries WHERE reason = 'newest'`)).toBe(1);
    });
  });

  describe('a read-only database (a standby after a failover)', () => {
    let service: TestApp;

    beforeAll(async () => {
      service = await startTestApp(db.url, { webhookSecrets: [SECRET], projector: 'off' });
    });
    afterAll(async () => {
      await db.pool.query(`ALTER DATABASE ${db.name} RESET default_transaction_read_only`);
      await service?.close();
    });

    /** New sessions of the service start read-only (or writable again) once its old ones are gone. */
    const reconnectServiceAs = async (readOnly: boolean) => {
      await db.pool.query(
        readOnly
          ? `ALTER DATABASE ${db.name} SET default_transaction_read_only = on`
          : `ALTER DATABASE ${db.name} RESET default_transaction_read_only`,
      );
      await db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'loyalty-ledger'`,
        [db.name],
      );
    };

    it('answers 503 with Retry-After, reports not ready, and recovers without a restart', async () => {
      await reconnectServiceAs(true);
      const body = JSON.stringify(envelope('customer.created', { customer: { id: uniqueId('cust_') } }));
      let answer = await postWebhook(service.baseUrl, body, { secret: SECRET });
      // The first request may meet a terminated connection: that is a 503 too.
      for (let i = 0; i < 3 && answer.status === 503; i++) answer = await postWebhook(service.baseUrl, body, { secret: SECRET });
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.json).toMatchObject({ code: 'database_unavailable' });
      const ready = await fetch(`${service.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.stringify(await ready.json())).toContain('read-only');

      await reconnectServiceAs(false);
      let stored = await postWebhook(service.baseUrl, body, { secret: SECRET });
      for (let i = 0; i < 3 && stored.status === 503; i++) stored = await postWebhook(service.baseUrl, body, { secret: SECRET });
      // It may have been stored by a try whose answer was lost: then the retry is a duplicate.
      expect([200, 202]).toContain(stored.status);
      expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(200);
    });
  });
});
