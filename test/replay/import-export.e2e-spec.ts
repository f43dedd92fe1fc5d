import fc from 'fast-check';
import { PROJECTION_NAMES } from '../../libs/projections/src';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { deliverShuffled } from '../support/deliver-history';
import { historyArbitrary } from '../support/loyalty-history';
import { getJson } from '../support/read-api';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';

const history = fc.sample(historyArbitrary(6, 10, 6, 5), { numRuns: 1, seed: 11 })[0];

describe('ledger export | import, then replay (the CLI, as run by npm run ledger)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    source = await createTestDatabase();
    target = await createTestDatabase();
    const service = await startTestApp(source.url, { projectorPollMs: 50 });
    try {
      const head = await deliverShuffled(service.baseUrl, history, 3);
      expect((await getJson(service.baseUrl, `/customers/${history.cards[0].customerId}`, head)).status).toBe(200);
    } finally {
      await service.close();
    }
  }, 60_000);
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips the log and rebuilds the same read models', async () => {
    const file = join(dir, 'log.ndjson');
    const exported = await runCli(['export'], { DATABASE_URL: source.url });
    expect(exported.code).toBe(0);
    writeFileSync(file, exported.stdout);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(history.events.length);
    expect(lines.map((l) => JSON.parse(l).event.id).sort()).toEqual(history.events.map((e) => e.eventId).sort());

    const imported = await runCli(['import', file], { DATABASE_URL: target.url });
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ appended: history.events.length, duplicates: 0, conflicts: 0, invalid: 0 });

    const again = await runCli(['import', file], { DATABASE_URL: target.url });
    expect(JSON.parse(again.stdout)).toMatchObject({ appended: 0, duplicates: history.events.length });

    const replayed = await runCli(['replay', '--all'], { DATABASE_URL: target.url });
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toContain(`[replay] ${PROJECTION_NAMES.join(', ')} done`);
    expect(await dumpReadModels(target.pool)).toEqual(await dumpReadModels(source.pool));

    const status = await runCli(['status'], { DATABASE_URL: target.url });
    expect(JSON.parse(status.stdout).map((p: any) => [p.name, p.events_behind])).toEqual(
      [...PROJECTION_NAMES].sort().map((n) => [n, 0]),
    );
  }, 120_000);

  it('reports bad lines and exits non-zero, storing the good ones', async () => {
    const file = join(dir, 'bad.ndjson');
    const good = JSON.stringify({ id: 'whs_x', type: 'customer.created', data: { customer: { id: 'cust_x' } }, event: { id: 'evcus_import_1', type: 'customer.created' } });
    writeFileSync(file, `${good}\n{"truncated": \n[1,2]\n\n`);
    const result = await runCli(['import', file], { DATABASE_URL: target.url });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ appended: 1, invalid: 2 });
    expect(report.refused).toEqual({ malformed_json: 1, invalid_envelope: 1 });
    expect(report.problems).toEqual([
      expect.stringMatching(/^line 2: malformed_json: the body is not valid JSON/),
      'line 3: invalid_envelope: the body is not a Voucherify webhook envelope; the payload must be a JSON object',
    ]);
  }, 60_000);

  it('refuses an unknown projection and explains', async () => {
    const result = await runCli(['replay', '--projection', 'nope'], { DATABASE_URL: target.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`unknown projection nope; known: ${PROJECTION_NAMES.join(', ')}\n`);
  }, 60_000);
});
