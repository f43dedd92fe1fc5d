import fc from 'fast-check';
import { Client, Pool } from 'pg';
import { EVENT_CHAIN, projectionStatus, rebuildProjections, RebuildLockLostError, verifyChain } from '../../libs/event-store/src';
import { PROJECTION_NAMES, rebuildTargets } from '../../libs/projections/src';
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

  /**
   * SIGKILLs a PostgreSQL backend of the test database: the server goes through crash recovery,
   * ending every connection. With `busy`, waits (up to 5 s) for a backend inside a writing
   * transaction (one with a transaction id: an append or a projection batch, not a poll), so the
   * crash lands on work in flight. Returns whether the killed backend was in one.
   */
  const crashPostgres = async (busy: () => boolean = () => false): Promise<boolean> => {
    let target: { pid: number; in_transaction: boolean } | undefined;
    for (let attempt = 0; attempt < 1000 && !target; attempt++) {
      const backends = await query<{ pid: number; in_transaction: boolean }>(
        `SELECT pid, backend_xid IS NOT NULL AS in_transaction FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()
         ORDER BY backend_xid IS NULL, pid`,
      );
      if (backends[0] && (backends[0].in_transaction || !busy())) target = backends[0];
      else await new Promise((r) => setTimeout(r, 5));
    }
    expect(target).toBeDefined();
    process.kill(target!.pid, 'SIGKILL');
    // Wait until the server accepts connections again (crash recovery done).
    for (let attempt = 0; attempt < 200; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        await query('SELECT 1');
        return target!.in_transaction;
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
        // Refused while the server recovers: this one is sent again, never one already acknowledged
        // (a resend would hide an acknowledged event the crash lost).
        for (;;) {
          const answer = await postWebhook(service!.baseUrl, JSON.stringify(toEnvelope(history.events[index], `whs_${index}`))).catch(() => undefined);
          if (answer && (answer.status === 202 || answer.status === 200)) {
            lastPosition = Math.max(lastPosition, answer.json.position);
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };

    // Each crash lands while webhooks are being delivered and projected: on a transaction in flight.
    let inFlight = 0;
    const slice = Math.ceil(history.events.length / (CRASHES + 1));
    for (let crash = 0; crash < CRASHES; crash++) {
      let delivering = true;
      const deliveries = Promise.all([0, 1, 2, 3].map(() => deliver(Math.min(history.events.length, (crash + 2) * slice)))).finally(() => (delivering = false));
      if (await crashPostgres(() => delivering)) inFlight++;
      await deliveries;
    }
    await Promise.all([0, 1, 2, 3].map(() => deliver(history.events.length)));
    expect(inFlight).toBeGreaterThan(0);
    // Every acknowledged webhook survived the crashes (appends commit durably).
    const stored = await query<{ n: string }>('SELECT count(DISTINCT event_id) AS n FROM events');
    expect(Number(stored[0].n)).toBe(history.events.length);

    // The projector catches up by itself: a read that needs the last position answers.
    let answer = await getJson(service!.baseUrl, `/customers/${history.cards[0].customerId}`, lastPosition);
    for (let attempt = 0; answer.status !== 200 && attempt < 100; attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      answer = await getJson(service!.baseUrl, `/customers/${history.cards[0].customerId}`, lastPosition);
    }
    expect(answer.status).toBe(200);
    const pool = new Pool({ connectionString: postgres.url });
    try {
      // And every projection (the hash chain included) has applied every event of the log.
      const names = [...PROJECTION_NAMES, EVENT_CHAIN];
      const behind = async () => (await projectionStatus(pool, names)).reduce((sum, p) => sum + p.events_behind, 0);
      for (let attempt = 0; (await behind()) > 0 && attempt < 100; attempt++) await new Promise((r) => setTimeout(r, 200));
      expect(await behind()).toBe(0);

      // The hash chain went through the crashes whole: every event linked once, in order.
      expect(await verifyChain(pool)).toMatchObject({ ok: true, checked: history.events.length, unchained: 0 });
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

      // Keep the rebuild's asynchronously committed batches unwritten until the crash: no WAL
      // writer rounds and no background writer (which flushes WAL before writing a page).
      await query(`ALTER SYSTEM SET wal_writer_delay = '10s'`);
      await query(`ALTER SYSTEM SET bgwriter_lru_maxpages = 0`);
      await query('SELECT pg_reload_conf()');

      let batches = 0;
      let crashed = false;
      let appliedBeforeCrash = 0;
      let appliedAfterCrash = 0;
      // No memory to fold in (maxMemoryMb 0): every batch is flushed, one commit per projection each.
      const first = rebuildProjections(pool, rebuildTargets('all'), { batchSize: 5, maxMemoryMb: 0 }, {
        betweenBatches: async () => {
          // At batch 10, a checkpoint flushes the WAL so far, the rebuild's batches with it.
          if (++batches === 10) await query('CHECKPOINT');
          if (batches !== 20) return;
          appliedBeforeCrash = await shadowApplied();
          await crashPostgres();
          appliedAfterCrash = await shadowApplied();
          crashed = true;
        },
      });
      // The crash ended the session holding the rebuild's lock: it stops rather than go on unlocked.
      await expect(first).rejects.toBeInstanceOf(RebuildLockLostError);
      expect(crashed).toBe(true);
      await query('ALTER SYSTEM RESET wal_writer_delay');
      await query('ALTER SYSTEM RESET bgwriter_lru_maxpages');
      await query('SELECT pg_reload_conf()');
      // The crash took back batches the rebuild had committed, and left what was flushed.
      expect(appliedAfterCrash).toBeLessThan(appliedBeforeCrash);
      expect(appliedAfterCrash).toBeGreaterThan(0);
      expect(await dumpReadModels(pool)).toEqual(live); // the live read models never moved

      // Run again, it resumes from the shadow as the crash left it (not from scratch).
      let resumedFrom: number | undefined;
      await rebuildProjections(pool, rebuildTargets('all'), {}, {
        betweenBatches: async () => {
          resumedFrom ??= await shadowApplied();
        },
      });
      expect(resumedFrom).toBe(appliedAfterCrash);
      expect(await dumpReadModels(pool)).toEqual(live);
      console.log(`rebuild crash: ${appliedBeforeCrash} shadow events applied before the crash, ${appliedAfterCrash} kept by it`);
    } finally {
      await pool.end();
    }
  }, 300_000);
});
