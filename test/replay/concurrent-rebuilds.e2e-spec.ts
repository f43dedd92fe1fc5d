import fc from 'fast-check';
import { Pool } from 'pg';
import { rebuildProjection } from '../../libs/event-store/src';
import { PROJECTION_NAMES, rebuildTargets } from '../../libs/projections/src';
import { deliverAndDump } from '../support/deliver-history';
import { historyArbitrary } from '../support/loyalty-history';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const ROUNDS = 3;
const history = fc.sample(historyArbitrary(10, 10, 10, 6), { numRuns: 1, seed: 11 })[0];

/**
 * Rebuilds started at the same moment, one per projection, share DDL (the shadow and retired
 * schemas): each set must all succeed, from one service or from several processes.
 */
describe('rebuilds started together', () => {
  let db: TestDatabase;
  let service: TestApp;
  let live: Record<string, string[]>;
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { projectorPollMs: 50, adminToken: ADMIN_TOKEN });
    ({ live } = await deliverAndDump(service.baseUrl, db.pool, history, 3));
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  /** As on a database that never saw a rebuild: the schemas are created by the rebuilds themselves. */
  const forgetRebuildSchemas = () => db.pool.query('DROP SCHEMA IF EXISTS ledger_rebuild, ledger_retired CASCADE');

  async function waitForJobs(ids: string[]): Promise<any[]> {
    for (let i = 0; i < 600; i++) {
      const status = (await (await fetch(`${service.baseUrl}/admin/projections`, { headers: auth })).json()) as any;
      const jobs = ids.map((id) => status.rebuilds.find((r: any) => r.id === id));
      if (jobs.every((job) => job.state !== 'running')) return jobs;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('rebuild jobs did not finish');
  }

  it('runs every rebuild (ten) posted at once over HTTP, all to success, to the same read models', async () => {
    expect(PROJECTION_NAMES.length).toBe(10);
    for (let round = 1; round <= ROUNDS; round++) {
      await forgetRebuildSchemas();
      const answers = await Promise.all(
        PROJECTION_NAMES.map((name) => fetch(`${service.baseUrl}/admin/projections/${name}/rebuild`, { method: 'POST', headers: auth })),
      );
      expect(answers.map((a) => a.status)).toEqual(PROJECTION_NAMES.map(() => 202));
      const ids = await Promise.all(answers.map(async (a) => ((await a.json()) as any).job_id as string));
      const jobs = await waitForJobs(ids);
      expect([round, jobs.map((j) => [j.projection, j.state, j.error])]).toEqual([round, PROJECTION_NAMES.map((name) => [name, 'succeeded', null])]);
      expect(await dumpReadModels(db.pool)).toEqual(live);
    }
  }, 180_000);

  it('runs rebuilds started at once from two processes (two pools), all to success, to the same read models', async () => {
    const pools = [new Pool({ connectionString: db.url, max: 6 }), new Pool({ connectionString: db.url, max: 6 })];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        await forgetRebuildSchemas();
        // Each projection from one of the two pools, alternating which pool gets which.
        const outcomes = await Promise.allSettled(
          rebuildTargets('all').map((target, i) => rebuildProjection(pools[(i + round) % 2], target, { batchSize: 40 })),
        );
        const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
        expect([round, failures]).toEqual([round, []]);
        expect(await dumpReadModels(db.pool)).toEqual(live);
      }
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  }, 180_000);
});
