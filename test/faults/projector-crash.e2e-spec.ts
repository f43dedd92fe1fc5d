import fc from 'fast-check';
import { Client, Pool } from 'pg';
import { rebuildProjections, RebuildLockLostError } from '../../libs/event-store/src';
import { rebuildTargets } from '../../libs/projections/src';
import { historyArbitrary, toEnvelope } from '../support/loyalty-history';
import { dumpReadModels } from '../support/read-model-dump';
import { getJson } from '../support/read-api';
import { PostgresProcess } from '../support/postgres-process';
import { startTestApp, TestApp } from '../support/test-app';
import { postWebhook } from '../support/voucherify';

const CRASHES = 4;
const history = fc.sample(historyArbitrary(30, 12, 30, 8), { numRuns: 1, seed: 7 })[0];

/**
 * When a PostgreSQL process dies, the server terminates every connection, restarts itself and
 * drops whatever WAL was not written yet. The live projector must carry on by itself; a rebuild,
 * whose batches commit without waiting for their WAL flush, may lose its last batches (rows and
 * checkpoint together) and must redo them when resumed.
 */
describe('projections through PostgreSQL crashes', () => {
  let postgres: PostgresProcess;
  let service: TestApp | undefined;

  beforeAll(async () => {
    postgres = await PostgresProcess.create();
    await postgres.start();
    service = await startTestApp(postgres.url);
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await postgres?.destroy();
  });

  const query = async <T>(sql: string): Promise<T[]> => {
    const client = new Client({ connectionString: postgres.url });
    // A crash can end this connection between two calls; the awaited call reports it.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };

  /** SIGKILLs one of the service's PostgreSQL backends: the server goes through crash recovery. */
  const crashPostgres = async (): Promise<number> => {
    const backends = await query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()`,
    );
    expect(backends.length).toBeGreaterThan(0);
    process.kill(backends[0].pid, 'SIGKILL');
    // Wait until the server accepts connections again (crash recovery done).
    for (let attempt = 0; attempt < 200; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        await query('SELECT 1');
        return backends[0].pid;
      } catch {
        // still recovering
      }
    }
    throw new Error('PostgreSQL did not come back after the crash');
  };

  it(`the live projector catches up by itself through ${CRASHES} crashes, and its read models equal a clean rebuild`, async () => {
    let next = 0;
    let lastPosition = 0;
    const deliver = async (until: number) => {
      while (next < until) {
        const index = next++;
        const answer = await postWebhook(service!.baseUrl, JSON.stringify(toEnvelope(history.events[index], `whs_${index}`))).catch(() => undefined);
        if (answer && (answer.status === 202 || answer.status === 200)) lastPosition = Math.max(lastPosition, answer.json.position);
        else {
          next = Math.min(next, index); // refused while the server recovered: send it again
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };

    const killed = new Set<number>();
    const slice = Math.ceil(history.events.length / (CRASHES + 1));
    for (let crash = 0; crash < CRASHES; crash++) {
      await Promise.all([0, 1, 2, 3].map(() => deliver((crash + 1) * slice)));
      killed.add(await crashPostgres()); // the projector is still working through what just arrived
    }
    await Promise.all([0, 1, 2, 3].map(() => deliver(history.events.length)));
    expect(killed.size).toBe(CRASHES);

    // The projector catches up by itself: a read that needs the last position answers.
    let answer = await getJson(service!.baseUrl, `/customers/${history.cards[0].customerId}`, lastPosition);
    for (let attempt = 0; answer.status !== 200 && attempt < 100; attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      answer = await getJson(service!.baseUrl, `/customers/${history.cards[0].customerId}`, lastPosition);
    }
    expect(answer.status).toBe(200);
    // And every projection (the hash chain included) has applied every event of the log.
    const behind = async () =>
      Number(
        (
          await query<{ behind: string }>(
            `SELECT count(*) AS behind FROM projection_checkpoints c WHERE EXISTS (
               SELECT 1 FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.position))`,
          )
        )[0].behind,
      );
    for (let attempt = 0; (await behind()) > 0 && attempt < 100; attempt++) await new Promise((r) => setTimeout(r, 200));
    expect(await behind()).toBe(0);

    const pool = new Pool({ connectionString: postgres.url });
    try {
      const live = await dumpReadModels(pool);
      await service!.close(); // no projector beside the rebuilds below
      service = undefined;
      await rebuildProjections(pool, rebuildTargets('all'));
      expect(await dumpReadModels(pool)).toEqual(live);
    } finally {
      await pool.end();
    }
  }, 300_000);

  it('a rebuild cut by a crash stops (its lock is gone), and resumed it redoes the batches the crash lost and ends equal to the live read models', async () => {
    const pool = new Pool({ connectionString: postgres.url });
    pool.on('error', () => undefined); // idle clients die with the crash
    try {
      const live = await dumpReadModels(pool);
      expect(Object.values(live).some((rows) => rows.length > 0)).toBe(true);
      const shadowApplied = async () =>
        Number((await query<{ n: string | null }>(`SELECT sum(events_applied) AS n FROM projection_checkpoints WHERE projection LIKE '%@rebuild'`))[0].n ?? 0);

      let batches = 0;
      let crashed = false;
      let appliedBeforeCrash = 0;
      let appliedAfterCrash = 0;
      const first = rebuildProjections(pool, rebuildTargets('all'), {
        batchSize: 5,
        batchHook: async () => {
          if (++batches !== 20) return;
          appliedBeforeCrash = await shadowApplied();
          await crashPostgres();
          appliedAfterCrash = await shadowApplied();
          crashed = true;
        },
      });
      // The crash ended the session holding the rebuild's lock: it stops rather than go on unlocked.
      await expect(first).rejects.toBeInstanceOf(RebuildLockLostError);
      expect(crashed).toBe(true);
      expect(appliedAfterCrash).toBeLessThanOrEqual(appliedBeforeCrash);
      await rebuildProjections(pool, rebuildTargets('all')); // resumes from the shadow checkpoints
      expect(await dumpReadModels(pool)).toEqual(live);
      console.log(`rebuild crash: ${appliedBeforeCrash} shadow events applied before the crash, ${appliedAfterCrash} kept by it`);
    } finally {
      await pool.end();
    }
  }, 300_000);
});
