import fc from 'fast-check';
import type { PoolClient } from 'pg';
import type { LogEvent } from '../../libs/event-store/src';
import {
  FLUSH_FIRST,
  ProjectionFold,
  REBUILD_LOCK_CLASS,
  rebuildProjection,
  rebuildProjections,
  RebuildInterruptedError,
  RebuildLockedError,
  RebuildLockLostError,
  SHADOW_SCHEMA,
} from '../../libs/event-store/src';
import { ALL_READ_MODELS, rebuildTargets } from '../../libs/projections/src';
import { deliverAndDump } from '../support/deliver-history';
import { historyArbitrary, toEnvelope } from '../support/loyalty-history';
import { getJson } from '../support/read-api';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { postWebhook } from '../support/voucherify';

const history = fc.sample(historyArbitrary(12, 12, 12, 8), { numRuns: 1, seed: 4 })[0];

/** All projections in one pass over the log, as `replay --all` does. */
async function rebuildAll(db: TestDatabase) {
  await rebuildProjections(db.pool, rebuildTargets('all'), { batchSize: 25 });
}

/** Every projection, the ledger's fold changed by `change` (a fault put in its way). */
function withLedgerFold(change: (fold: ProjectionFold) => ProjectionFold) {
  return rebuildTargets('all').map((target) => {
    const { projection } = target;
    if (projection.name !== 'ledger') return target;
    return { ...target, projection: { ...projection, openFold: (storedEmpty: boolean) => change(bound(projection.openFold!(storedEmpty))) } };
  });
}

/** A fold's methods as plain functions, so that a test may replace one and call the others. */
const bound = (fold: ProjectionFold): ProjectionFold => ({ add: fold.add.bind(fold), flush: fold.flush.bind(fold), forget: fold.forget.bind(fold) });

describe('replay', () => {
  let db: TestDatabase;
  let service: TestApp;
  let head: number;
  let live: Record<string, string[]>;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The live projector keeps running during every rebuild below.
    service = await startTestApp(db.url, { projectorPollMs: 50 });
    ({ head, live } = await deliverAndDump(service.baseUrl, db.pool, history, 7));
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('rebuilds every projection to exactly what live processing built', async () => {
    expect(history.events.length).toBeGreaterThan(80);
    expect(live.loyalty_cards.length).toBe(12);
    await rebuildAll(db);
    expect(await dumpReadModels(db.pool)).toEqual(live);
    const { rows } = await db.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname IN ('ledger_rebuild', 'ledger_retired')`);
    expect(rows).toEqual([]);
  });

  it('rebuilds to the same rows when memory holds no more than a batch, flushing after each', async () => {
    // Every fold writes after each batch and loads its documents again in the next: the ledger's
    // windows, the cards read back, the campaign-wide facts, all through the tables.
    await rebuildProjections(db.pool, rebuildTargets('all'), { batchSize: 7, fresh: true, maxMemoryMb: 0 });
    expect(await dumpReadModels(db.pool)).toEqual(live);
  });

  it('takes the span again the usual way when a flush fails, and rebuilds the same rows', async () => {
    let flushes = 0;
    // The second flush fails as a whole (a row the table refuses, say).
    const targets = withLedgerFold((fold) => ({
      ...fold,
      flush: async (client) => {
        if (++flushes === 2) throw new Error('this flush breaks');
        return fold.flush(client);
      },
    }));
    await rebuildProjections(db.pool, targets, { batchSize: 10, fresh: true, maxMemoryMb: 0 });
    expect(flushes).toBe(2); // after the failure, the ledger went on without its fold
    expect(await dumpReadModels(db.pool)).toEqual(live);
    expect((await db.pool.query('SELECT count(*) FROM projection_dead_letters')).rows[0].count).toBe('0');
  });

  it('takes everything since the last flush again when a flush asked for by a batch fails, skipping nothing', async () => {
    // The ledger folds two batches in memory, then a batch it cannot take asks for a flush first, which fails.
    let adds = 0;
    let flushes = 0;
    const targets = withLedgerFold((fold) => ({
      ...fold,
      add: (events, tx) => (++adds === 3 ? Promise.resolve(FLUSH_FIRST) : fold.add(events, tx)),
      flush: async (client) => {
        if (++flushes === 1) throw new Error('this flush breaks');
        return fold.flush(client);
      },
    }));
    await rebuildProjections(db.pool, targets, { batchSize: 10, fresh: true });
    expect(flushes).toBe(1); // the ledger went on the usual way from its last flush (the start)
    expect(await dumpReadModels(db.pool)).toEqual(live);
    expect((await db.pool.query('SELECT count(*) FROM projection_dead_letters')).rows[0].count).toBe('0');
  });

  it('isolates a projection whose batch fails as a whole, parks the culprit, and rebuilds the others completely', async () => {
    // The projections of one pass apply each batch side by side, each in a transaction of its own.
    const culprit = history.events[40].eventId;
    const targets = rebuildTargets('all').map((target) =>
      target.projection.name !== 'loyalty_cards'
        ? target
        : {
            ...target,
            projection: {
              name: target.projection.name,
              apply: async (client: PoolClient, events: LogEvent[]) => {
                if (events.some((e) => e.eventId === culprit)) throw new Error(`this batch breaks on ${culprit}`);
                return target.projection.apply(client, events);
              },
            },
          },
    );
    await rebuildProjections(db.pool, targets, { batchSize: 25, fresh: true });
    const rebuilt = await dumpReadModels(db.pool);
    const others = ALL_READ_MODELS.filter((m) => m.name !== 'loyalty_cards').flatMap((m) => m.tables);
    expect(others.length).toBeGreaterThanOrEqual(4);
    for (const table of others) expect([table, rebuilt[table]]).toEqual([table, live[table]]);
    const parked = await db.pool.query('SELECT projection, event_id FROM projection_dead_letters');
    expect(parked.rows).toEqual([{ projection: 'loyalty_cards', event_id: culprit }]);
    const events = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const applied = await db.pool.query(`SELECT projection, events_applied FROM projection_checkpoints WHERE projection = 'loyalty_cards'`);
    expect(Number(applied.rows[0].events_applied)).toBe(events - 1);

    // As found, for the tests below: the culprit forgotten, the cards rebuilt without the bug.
    await db.pool.query('DELETE FROM projection_dead_letters');
    await rebuildProjections(db.pool, rebuildTargets(['loyalty_cards']), { batchSize: 25, fresh: true });
    expect(await dumpReadModels(db.pool)).toEqual(live);
  });

  it('keeps the index names the migrations gave, so later migrations still find them', async () => {
    const { rows } = await db.pool.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'loyalty_cards' ORDER BY 1`,
    );
    expect(rows.map((r) => r.indexname)).toEqual(['loyalty_cards_code_idx', 'loyalty_cards_code_search_idx', 'loyalty_cards_customer_idx', 'loyalty_cards_pkey']);
  });

  it('leaves the live read models untouched when interrupted, and resumes to the same result', async () => {
    const controller = new AbortController();
    let batches = 0;
    const [target] = rebuildTargets(['ledger']);
    await expect(
      rebuildProjection(db.pool, target, {
        batchSize: 10,
        // No memory to fold in: each batch is written before the next, so the interruption finds some stored.
        maxMemoryMb: 0,
        signal: controller.signal,
        onProgress: () => ++batches === 3 && controller.abort(),
      }),
    ).rejects.toBeInstanceOf(RebuildInterruptedError);
    expect(await dumpReadModels(db.pool)).toEqual(live);
    const shadow = await db.pool.query(`SELECT count(*) FROM ${SHADOW_SCHEMA}.ledger_entries`);
    expect(Number(shadow.rows[0].count)).toBeGreaterThan(0);

    let resumedFrom = -1;
    await rebuildProjection(db.pool, target, { batchSize: 10, onProgress: (p) => resumedFrom < 0 && (resumedFrom = p.done) });
    expect(resumedFrom).toBeGreaterThanOrEqual(30);
    expect(await dumpReadModels(db.pool)).toEqual(live);
  });

  it('serves the old, complete read models while the shadow is half-built', async () => {
    const customer = history.cards[0].customerId;
    const before = await getJson(service.baseUrl, `/customers/${customer}/points-history?limit=500`);
    const [target] = rebuildTargets(['ledger']);
    // Looked at mid-load (a pause between batches) and just before the swap.
    let midLoad: { shadowRows: number; read: unknown } | undefined;
    let beforeSwap: unknown;
    const pauseOnce = { done: false };
    await rebuildProjection(
      db.pool,
      target,
      {
        batchSize: 10,
        fresh: true,
        maxMemoryMb: 0, // each batch written before the next: the shadow fills while loading
        onProgress: (p) => {
          if (pauseOnce.done || p.phase !== 'loading' || p.done < 20) return;
          pauseOnce.done = true;
        },
      },
      {
        beforeSwap: async () => {
          beforeSwap = await getJson(service.baseUrl, `/customers/${customer}/points-history?limit=500`);
        },
        betweenBatches: async () => {
          if (!pauseOnce.done || midLoad) return;
          const shadowRows = Number((await db.pool.query(`SELECT count(*) FROM ${SHADOW_SCHEMA}.ledger_entries`)).rows[0].count);
          midLoad = { shadowRows, read: await getJson(service.baseUrl, `/customers/${customer}/points-history?limit=500`) };
        },
      },
    );
    expect(midLoad!.shadowRows).toBeGreaterThan(0);
    expect(midLoad!.shadowRows).toBeLessThan(live.ledger_entries.length);
    expect(midLoad!.read).toEqual(before);
    expect(beforeSwap).toEqual(before);
    expect(await getJson(service.baseUrl, `/customers/${customer}/points-history?limit=500`)).toEqual(before);
  });

  it('lets the live projector carry on after the swap', async () => {
    await rebuildAll(db);
    const event = { ...history.events[1], eventId: 'evt_after_swap', createdAt: '2030-01-01T00:00:00.000Z' };
    const card = history.cards.find((c) => (event.data as any).customer.id === c.customerId)!;
    const response = await postWebhook(service.baseUrl, JSON.stringify(toEnvelope(event, 'whs_after')));
    expect(response.status).toBe(202);
    const customer = await getJson(service.baseUrl, `/customers/${card.customerId}`, response.json.position);
    expect(customer.status).toBe(200);
    const profile = await db.pool.query('SELECT profile_event_id FROM customers WHERE id = $1', [card.customerId]);
    expect(profile.rows[0].profile_event_id).toBe('evt_after_swap');
    // Every stored event applied exactly once by each projection, across rebuilds and live batches.
    const events = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const status = await getJson(service.baseUrl, '/projections');
    for (const projection of status.json.data) expect([projection.name, projection.events_behind, projection.events_applied]).toEqual([projection.name, 0, events]);
  });

  it('does not swap in once the session holding its lock is gone, and a rerun resumes to the same result', async () => {
    const [target] = rebuildTargets(['customers']);
    const before = await dumpReadModels(db.pool); // an earlier test added an event after `live`
    let terminated = 0;
    const rebuilding = rebuildProjection(db.pool, target, {}, {
      // Just before the swap: past the checks between batches, so the swap must ask the server.
      beforeSwap: async () => {
        // This test database's rebuild of customers only: other test files rebuild on the same server.
        const { rows } = await db.pool.query<{ done: boolean }>(
          `SELECT pg_terminate_backend(pid, 5000) AS done FROM pg_locks
           WHERE locktype = 'advisory' AND classid = $1 AND objid = hashtext('customers')::oid AND objsubid = 2 AND granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [REBUILD_LOCK_CLASS],
        );
        terminated = rows.filter((r) => r.done).length;
      },
    });
    await expect(rebuilding).rejects.toThrow(RebuildLockLostError);
    await expect(rebuilding).rejects.toThrow(/PostgreSQL says backend \d+ no longer holds it/);
    expect(terminated).toBe(1);
    expect(await dumpReadModels(db.pool)).toEqual(before);
    const shadow = await db.pool.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'customers'`, [SHADOW_SCHEMA]);
    expect(shadow.rowCount).toBe(1); // kept for the rerun
    const shadowApplied = async () =>
      Number((await db.pool.query(`SELECT events_applied FROM projection_checkpoints WHERE projection = 'customers@rebuild'`)).rows[0]?.events_applied ?? 0);
    const loaded = await shadowApplied();
    expect(loaded).toBeGreaterThan(0);

    let resumedFrom: number | undefined;
    await rebuildProjection(db.pool, target, {}, {
      betweenBatches: async () => {
        resumedFrom ??= await shadowApplied();
      },
    });
    expect(resumedFrom).toBe(loaded); // resumed from the shadow, not started over
    expect(await dumpReadModels(db.pool)).toEqual(before);
  });

  it('allows one rebuild of a projection at a time and names who holds it', async () => {
    const [target] = rebuildTargets(['loyalty_cards']);
    let release!: () => void;
    const holding = rebuildProjection(db.pool, target, {}, { beforeSwap: () => new Promise<void>((r) => (release = r)) });
    await new Promise((r) => setTimeout(r, 300));
    await expect(rebuildProjection(db.pool, target)).rejects.toThrow(RebuildLockedError);
    await expect(rebuildProjection(db.pool, target)).rejects.toThrow(/already running \(held by PostgreSQL backend \d+/);
    release();
    await holding;
  });
});
