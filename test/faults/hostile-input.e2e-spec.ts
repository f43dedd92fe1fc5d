import fc from 'fast-check';
import { signPayload } from '../../libs/voucherify/src';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, loadFixtureData } from '../support/voucherify';

const SECRET = 'whsec-hostile-0123456789abcdef';
const BODY_LIMIT = 64 * 1024;
const BODIES = 10_000;
const CONNECTIONS = 16;

const valid = () => JSON.stringify(envelope('customer.rewarded', loadFixtureData('customer.rewarded')));

/** Bodies an attacker, a broken proxy or a buggy client could send. */
const hostileBody: fc.Arbitrary<string> = fc.oneof(
  // truncated and malformed JSON
  fc.nat({ max: 4000 }).map((cut) => valid().slice(0, cut)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  // wrong types in every envelope field
  fc
    .record({
      id: fc.anything(),
      type: fc.anything(),
      data: fc.anything(),
      event: fc.oneof(fc.anything(), fc.record({ id: fc.anything(), type: fc.anything(), created_at: fc.anything() })),
      created_at: fc.anything(),
      project_id: fc.anything(),
    })
    .map((o) => JSON.stringify(o) ?? 'null'),
  // huge strings and arrays, some past the body limit
  fc.integer({ min: 1, max: 2 * BODY_LIMIT }).map((n) => JSON.stringify({ ...envelope('customer.created', { blob: 'x'.repeat(n) }) })),
  fc.integer({ min: 1, max: 20_000 }).map((n) => JSON.stringify(envelope('customer.created', { list: Array(n).fill(1) }))),
  // deep nesting
  fc.integer({ min: 1, max: 30_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
  fc.integer({ min: 1, max: 3_000 }).map((d) => JSON.stringify(envelope('customer.created', JSON.parse(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`)))),
  // unicode edge cases: NUL, lone surrogates, BOM, overlong text, emoji, RTL
  fc
    .constantFrom('\\u0000', '\\ud800', '\\udfff', '\\ufeff', '\\u202e', '😀', 'e\\u0301', '\\uffff')
    .map((s) => JSON.stringify(envelope('customer.created', { name: 'PLACEHOLDER' })).replace('PLACEHOLDER', s)),
  fc.constant(`\ufeff${valid()}`),
);

const hostileSignature = (body: string): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    fc.constant(signPayload(SECRET, body)), // correct: the body reaches the parser
    fc.constant(signPayload(SECRET, body).slice(0, 40)), // truncated
    fc.constant(signPayload('forged-secret-0123456789', body)), // forged
    fc.string({ maxLength: 100 }),
    fc.constant(undefined),
  );

describe('hostile input', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], webhookBodyLimitBytes: BODY_LIMIT, projector: 'off' });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it(`answers ${BODIES} generated bodies without a 5xx, stores only what it accepted, and keeps memory bounded`, async () => {
    const cases = fc.sample(hostileBody.chain((body) => hostileSignature(body).map((signature) => ({ body, signature }))), {
      numRuns: BODIES,
      seed: 20261122,
    });
    const rssBefore = process.memoryUsage().rss;
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < cases.length) {
          const { body, signature } = cases[next++];
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (signature !== undefined) headers['x-voucherify-signature'] = signature;
          const response = await fetch(`${service.baseUrl}/webhooks/voucherify`, { method: 'POST', headers, body });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) serverErrors.push(body.slice(0, 200));
        }
      }),
    );
    expect(serverErrors).toEqual([]);
    const stored = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    expect(stored).toBe(statuses.get(202) ?? 0);
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(413)).toBeGreaterThan(0);
    expect(statuses.get(422)).toBeGreaterThan(0);
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
    const growthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(growthMb).toBeLessThan(300);
    console.log(`hostile: ${BODIES} bodies, answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, 0 5xx, ${stored} stored, RSS growth ${Math.round(growthMb)} MB`);
  }, 300_000);
});
