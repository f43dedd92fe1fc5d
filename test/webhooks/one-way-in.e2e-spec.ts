import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';
import { envelope, postWebhook, uniqueId } from '../support/voucherify';

const SECRET = 'whsec-test-0123456789abcdef';

const eventId = uniqueId('evsame_');
const good = JSON.stringify(envelope('customer.created', { customer: { id: 'cust_1', name: 'Ann' } }, { eventId }));
const retry = JSON.stringify(envelope('customer.created', { customer: { id: 'cust_1', name: 'Ann' } }, { eventId }));
const conflicting = JSON.stringify(envelope('customer.created', { customer: { id: 'cust_1', name: 'Bob' } }, { eventId }));
const unstorable = JSON.stringify(envelope('customer.created', { customer: { id: 'cust_2', name: 'a\u0000b' } }));
const tooDeep = JSON.stringify(envelope('customer.created', { x: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) }));
const malformed = '{"id":"whs_1","type":';
const notAnEnvelope = '{"hello":"world"}';

/** [body, the outcome both ways in must agree on] */
const CASES: [string, string][] = [
  [good, 'appended'],
  [retry, 'duplicate'],
  [conflicting, 'conflict'],
  [unstorable, 'unstorable_payload'],
  [tooDeep, 'payload_too_complex'],
  [malformed, 'malformed_json'],
  [notAnEnvelope, 'invalid_envelope'],
];

const OUTCOME_BY_STATUS: Record<number, string> = { 202: 'appended', 200: 'duplicate', 409: 'conflict' };

/** The webhook endpoint and `ledger import` are one use case: the same bodies, the same outcomes. */
describe('one ingest use case for every way in', () => {
  let viaHttp: TestDatabase;
  let viaImport: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    viaHttp = await createTestDatabase();
    viaImport = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'ledger-one-way-in-'));
  });
  afterAll(async () => {
    await viaHttp?.drop();
    await viaImport?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = async (db: TestDatabase) =>
    (await db.pool.query(`SELECT event_id, convert_from(raw_body, 'UTF8')::jsonb AS payload FROM events ORDER BY global_position`)).rows;

  it('stores, deduplicates and refuses the same bodies the same way', async () => {
    const service = await startTestApp(viaHttp.url, { webhookSecrets: [SECRET], projector: 'off' });
    const httpOutcomes: string[] = [];
    try {
      for (const [body] of CASES) {
        const answer = await postWebhook(service.baseUrl, body, { secret: SECRET });
        httpOutcomes.push(OUTCOME_BY_STATUS[answer.status] ?? answer.json.code);
      }
    } finally {
      await service.close();
    }
    expect(httpOutcomes).toEqual(CASES.map(([, outcome]) => outcome));

    const file = join(dir, 'cases.ndjson');
    writeFileSync(file, CASES.map(([body]) => body).join('\n') + '\n');
    const imported = await runCli(['import', file], { DATABASE_URL: viaImport.url });
    expect(imported.code).toBe(1); // refusals and a conflict remain
    const report = JSON.parse(imported.stdout);
    expect(report).toMatchObject({
      appended: 1,
      duplicates: 1,
      conflicts: 1,
      invalid: 4,
      refused: { unstorable_payload: 1, payload_too_complex: 1, malformed_json: 1, invalid_envelope: 1 },
    });
    // Each problem names its line and, for a refusal, the same reason the endpoint answers with.
    expect(report.problems.map((p: string) => p.replace(/:.*/s, ''))).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    expect(report.problems.slice(1).map((p: string) => p.split(': ')[1])).toEqual([
      'unstorable_payload',
      'payload_too_complex',
      'malformed_json',
      'invalid_envelope',
    ]);

    expect(await stored(viaImport)).toEqual(await stored(viaHttp));
    expect((await stored(viaHttp)).map((r) => r.event_id)).toEqual([eventId]);
  });
});
