import { Client, Pool, PoolClient } from 'pg';
import { inTransaction, isolateFailedSpan } from './batch';
import { applyGroupBatchIn, GroupBatchOptions, GroupMember } from './group-batch';
import { ParallelPass } from './parallel-pass';
import { ensureCheckpoints, hasUnappliedUpTo } from './checkpoints';
import type { Projection } from './log-event';

export const SHADOW_SCHEMA = 'ledger_rebuild';
const RETIRED_SCHEMA = 'ledger_retired';
/** The first key of every rebuild's advisory lock (the second is the projection's name hashed). */
export const REBUILD_LOCK_CLASS = 7_346_003;
/**
 * Key (with 0) of the transaction-level advisory lock that serialises the DDL every rebuild
 * shares: two `CREATE SCHEMA IF NOT EXISTS` of one schema at once both see it missing, and one
 * fails on pg_namespace's unique index. Rebuilds of different projections run side by side, from
 * any number of processes, so they take this lock in the transaction of each such statement.
 */
const SHARED_DDL_LOCK_CLASS = 7_346_013;
const SWAP_LOCK_TIMEOUT = '5s';
const SWAP_ATTEMPTS = 5;

export interface RebuildTarget {
  projection: Projection;
  /** The read-model tables the projection writes; rebuilt in the shadow schema, then swapped in. */
  tables: readonly string[];
}

export interface RebuildProgress {
  projection: string;
  done: number;
  total: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
  phase: 'loading' | 'swapping' | 'done';
}

export interface RebuildOptions {
  batchSize?: number;
  untilPosition?: number;
  failFast?: boolean;
  /** Start over even when an interrupted rebuild could be resumed. */
  fresh?: boolean;
  /** Aborting stops between batches; the live read models are untouched. */
  signal?: AbortSignal;
  onProgress?: (progress: RebuildProgress) => void;
  /** Called when the shadow has caught up, just before the swap (tests use it to look in between). */
  beforeSwap?: () => Promise<void>;
  /** Awaited between batches (tests use it to look at a half-built shadow). */
  batchHook?: () => Promise<void>;
}

export class RebuildLockedError extends Error {
  constructor(readonly projection: string, readonly holder: string) {
    super(`a rebuild of ${projection} is already running (${holder})`);
    this.name = 'RebuildLockedError';
  }
}

export class RebuildInterruptedError extends Error {
  constructor(readonly projection: string) {
    super(`rebuild of ${projection} interrupted; the live read model is untouched, run it again to resume`);
    this.name = 'RebuildInterruptedError';
  }
}

export class RebuildLockLostError extends Error {
  constructor(readonly projection: string, reason: string) {
    super(`rebuild of ${projection} lost its lock (${reason}); the live read model is untouched, run it again to resume`);
    this.name = 'RebuildLockLostError';
  }
}

export const rebuildCheckpointName = (projection: string) => `${projection}@rebuild`;

/**
 * Rebuilds projections from the log into shadow tables while the live read models keep serving
 * and the live projector keeps running, then swaps the shadow tables in atomically (blue/green,
 * as Marten does) and hands the live projector the rebuild's checkpoints. Several projections
 * rebuild together in one pass over the log (one read per batch for all of them).
 *
 * The shadow tables live in their own schema under the same names: the projection's SQL is
 * unchanged, each rebuild transaction puts that schema first on its search_path.
 */
export async function rebuildProjections(pool: Pool, targets: RebuildTarget[], options: RebuildOptions = {}): Promise<RebuildProgress> {
  const lockClient = new Client(pool.options);
  // The locks live as long as this session. If it ends (a PostgreSQL restart, a killed
  // backend), another rebuild could start beside this one: stop at the next batch instead.
  let sessionLost: Error | undefined;
  lockClient.on('error', (error) => (sessionLost ??= error));
  lockClient.on('end', () => (sessionLost ??= new Error('the connection ended')));
  await lockClient.connect();
  try {
    const lockPid = (await lockClient.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    for (const { projection } of targets) {
      const locked = await lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
        REBUILD_LOCK_CLASS,
        projection.name,
      ]);
      if (!locked.rows[0].locked) throw new RebuildLockedError(projection.name, await lockHolder(lockClient, projection.name));
    }
    const names = targets.map((t) => t.projection.name);
    const label = names.join(', ');
    const lock: RebuildLock = {
      assertHeld() {
        if (sessionLost) throw new RebuildLockLostError(label, `its PostgreSQL session ended: ${sessionLost.message}`);
      },
      async assertHeldIn(client) {
        // Asked of the server: a session cut off without a word (a dropped network path) sends
        // no error or end event, but PostgreSQL has released its locks.
        // Distinct keys on both sides: two names hashing alike share one lock.
        const held = await client.query<{ missing: number }>(
          `SELECT count(*)::int AS missing FROM (SELECT DISTINCT hashtext(name)::oid AS key FROM unnest($3::text[]) AS name) wanted
           WHERE NOT EXISTS (SELECT 1 FROM pg_locks l
             WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = wanted.key AND l.objsubid = 2 AND l.pid = $2 AND l.granted)`,
          [REBUILD_LOCK_CLASS, lockPid, names],
        );
        if (held.rows[0].missing > 0) throw new RebuildLockLostError(label, `PostgreSQL says backend ${lockPid} no longer holds it`);
      },
    };
    return await rebuildLocked(pool, targets, options, label, lock);
  } finally {
    await lockClient.end().catch(() => undefined); // ends the session, and its locks with it
  }
}

/** The rebuild's advisory locks, held by a session of their own. */
interface RebuildLock {
  /** Throws if the session reported its end; cheap, checked between batches. */
  assertHeld(): void;
  /** Throws unless the server still grants the locks to that session; checked inside the swap. */
  assertHeldIn(client: PoolClient): Promise<void>;
}

export function rebuildProjection(pool: Pool, target: RebuildTarget, options: RebuildOptions = {}): Promise<RebuildProgress> {
  return rebuildProjections(pool, [target], options);
}

async function lockHolder(client: Client, name: string): Promise<string> {
  const result = await client.query(
    `SELECT a.pid, a.application_name, a.client_addr::text AS addr, a.backend_start
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = hashtext($2)::oid AND l.objsubid = 2 AND l.granted
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [REBUILD_LOCK_CLASS, name],
  );
  const row = result.rows[0];
  return row
    ? `held by PostgreSQL backend ${row.pid} (${row.application_name || 'unnamed'}${row.addr ? ` from ${row.addr}` : ''}, since ${row.backend_start.toISOString()})`
    : 'held by another session';
}

async function rebuildLocked(
  pool: Pool,
  targets: RebuildTarget[],
  options: RebuildOptions,
  label: string,
  lock: RebuildLock,
): Promise<RebuildProgress> {
  const members = targets.map((t) => ({ projection: t.projection, checkpointName: rebuildCheckpointName(t.projection.name) }));
  // 1,000: as fast as 2,000 now that batches overlap, with less held in memory at once.
  const batchSize = options.batchSize ?? 1000;
  await ensureCheckpoints(pool, targets.map((t) => t.projection.name));
  await createSchemaShared(pool, SHADOW_SCHEMA);
  const resumed: number[] = [];
  for (const [i, target] of targets.entries()) {
    resumed.push(await prepareShadow(pool, target, members[i].checkpointName, options.fresh ?? false));
  }

  const totals = await pool.query<{ total: string; head: string }>(
    `SELECT count(*) AS total, COALESCE(max(global_position), 0) AS head FROM events WHERE ($1::bigint IS NULL OR global_position <= $1)`,
    [options.untilPosition ?? null],
  );
  const total = Number(totals.rows[0].total);
  const head = Number(totals.rows[0].head);
  const started = Date.now();
  const done0 = Math.min(...resumed);
  let done = done0;
  const progress = (phase: RebuildProgress['phase']): RebuildProgress => {
    const seconds = (Date.now() - started) / 1000;
    const eventsPerSecond = seconds > 0 ? (done - done0) / seconds : 0;
    const etaSeconds = eventsPerSecond > 0 ? Math.max(0, (total - done) / eventsPerSecond) : null;
    return { projection: label, done: Math.min(done, total), total, eventsPerSecond, etaSeconds, phase };
  };

  const batch = { limit: batchSize, schema: SHADOW_SCHEMA, asynchronousCommit: true, untilPosition: options.untilPosition, failFast: options.failFast };
  const pass = new ParallelPass(pool, members, batch);
  try {
    for (;;) {
      if (options.signal?.aborted) throw new RebuildInterruptedError(label);
      await options.batchHook?.();
      lock.assertHeld();
      const { read, fresh, failed } = await pass.next();
      for (const failure of failed) {
        const member = members.find((m) => m.projection.name === failure.name)!;
        await isolateFailedSpan(pool, member.projection, { ...batch, checkpointName: member.checkpointName });
      }
      done += fresh;
      options.onProgress?.(progress('loading'));
      if (read === batchSize || failed.length > 0) continue;
      // An empty read can mean "held back by the xmin horizon": finish only past the head seen at start.
      const behind = await Promise.all(members.map((m) => hasUnappliedUpTo(pool, m.checkpointName, head)));
      if (!behind.includes(true)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await pass.close();
  }

  for (const table of targets.flatMap((t) => t.tables)) await buildSecondaryIndexes(pool, table);
  await options.beforeSwap?.();
  if (options.signal?.aborted) throw new RebuildInterruptedError(label);
  options.onProgress?.(progress('swapping'));
  done += await swapIn(pool, targets, members, batch, lock);
  const finished = progress('done');
  options.onProgress?.(finished);
  for (const target of targets) {
    for (const table of target.tables) await pool.query(`DROP TABLE IF EXISTS ${RETIRED_SCHEMA}.${table}`);
  }
  return finished;
}

/** The live table's other indexes, under the same names, on the loaded shadow table. */
async function buildSecondaryIndexes(pool: Pool, table: string): Promise<void> {
  const indexes = await pool.query<{ definition: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
     WHERE i.indrelid = $1::regclass AND NOT i.indisprimary`,
    [`public.${table}`],
  );
  for (const { definition } of indexes.rows) {
    const onShadow = definition
      .replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS ')
      .replace(` ON public.${table} `, ` ON ${SHADOW_SCHEMA}.${table} `);
    await pool.query(onShadow);
  }
}

/** Takes the shared-DDL lock in the caller's transaction; it is released at commit or rollback. */
async function lockSharedDdl(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, 0)', [SHARED_DDL_LOCK_CLASS]);
}

/** `CREATE SCHEMA IF NOT EXISTS`, one rebuild at a time across all processes (see SHARED_DDL_LOCK_CLASS). */
async function createSchemaShared(pool: Pool, schema: string): Promise<void> {
  await inTransaction(pool, {}, async (client) => {
    await lockSharedDdl(client);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  });
}

/** Creates empty shadow tables, or keeps those of an interrupted rebuild to resume. Returns events already done. */
async function prepareShadow(pool: Pool, target: RebuildTarget, checkpointName: string, fresh: boolean): Promise<number> {
  const existing = await pool.query<{ tables: number; applied: string | null }>(
    `SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = $1 AND tablename = ANY($2::text[])) AS tables,
            (SELECT events_applied FROM projection_checkpoints WHERE projection = $3) AS applied`,
    [SHADOW_SCHEMA, target.tables, checkpointName],
  );
  const { tables, applied } = existing.rows[0];
  if (!fresh && tables === target.tables.length && applied !== null) return Number(applied);

  for (const table of target.tables) {
    await pool.query(`DROP TABLE IF EXISTS ${SHADOW_SCHEMA}.${table}`);
    // Only the primary key while loading (the upserts need it); the other indexes are built once,
    // after the load (buildSecondaryIndexes), which is much cheaper than maintaining them per row.
    await pool.query(`CREATE TABLE ${SHADOW_SCHEMA}.${table} (LIKE public.${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    const primaryKey = await pool.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
      [`public.${table}`],
    );
    if (primaryKey.rows[0]) await pool.query(`ALTER TABLE ${SHADOW_SCHEMA}.${table} ADD ${primaryKey.rows[0].definition}`);
  }
  await pool.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [checkpointName]);
  await pool.query(`INSERT INTO projection_checkpoints (projection) VALUES ($1)`, [checkpointName]);
  return 0;
}

/**
 * In one transaction: hold the live checkpoints (the live projector waits), apply what the log
 * gained meanwhile, move the live tables out and the shadow tables in, and give the live
 * checkpoints the rebuild's. Readers see the old tables until the commit, the new ones after.
 */
async function swapIn(pool: Pool, targets: RebuildTarget[], members: GroupMember[], batch: GroupBatchOptions, lock: RebuildLock): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Durable, unlike the batches before it: the swap is what makes the rebuild live.
      return await inTransaction(pool, { schema: SHADOW_SCHEMA }, (client) => swapInTransaction(client, targets, members, batch, lock));
    } catch (error) {
      // 55P03: a long read held the tables past lock_timeout; readers queue behind us meanwhile, so give way and retry.
      if ((error as { code?: string }).code !== '55P03' || attempt >= SWAP_ATTEMPTS) throw error;
    }
  }
}

/** The swap's body, in the caller's transaction with the shadow schema first on the search_path. */
async function swapInTransaction(
  client: PoolClient,
  targets: RebuildTarget[],
  members: GroupMember[],
  batch: GroupBatchOptions,
  lock: RebuildLock,
): Promise<number> {
  // Swaps of other projections share the retired schema's DDL below: one swap at a time. Taken
  // first, so a swap waiting for it holds no other lock and cannot close a deadlock; and before
  // lock_timeout, since waiting for another swap (itself bounded) is no reason to give up.
  await lockSharedDdl(client);
  await client.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
  // The live checkpoints (the live projector waits), the rebuild's, and the shadow tables: a
  // rebuild that took the lock over after the check below can neither swap, nor reset or write
  // the shadow, before this transaction ends. It finds the shadow gone when it gets them.
  await client.query(`SELECT 1 FROM projection_checkpoints WHERE projection = ANY($1::text[]) ORDER BY projection FOR UPDATE`, [
    [...targets.map((t) => t.projection.name), ...members.map((m) => m.checkpointName)],
  ]);
  const shadowTables = targets.flatMap((t) => t.tables.map((table) => `${SHADOW_SCHEMA}.${table}`));
  await client.query(`LOCK TABLE ${shadowTables.join(', ')} IN ACCESS EXCLUSIVE MODE`);
  await lock.assertHeldIn(client);
  let applied = 0;
  for (;;) {
    const { read, failed } = await applyGroupBatchIn(client, members, batch);
    // Rare (the load isolated failing events already): the swap rolls back, the rebuild fails, a rerun resumes.
    if (failed.length > 0) throw failed[0].error;
    applied += read;
    if (read < batch.limit) break;
  }
  await client.query(`SELECT set_config('search_path', 'public', true)`);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${RETIRED_SCHEMA}`);
  for (const table of targets.flatMap((t) => t.tables)) {
    await client.query(`DROP TABLE IF EXISTS ${RETIRED_SCHEMA}.${table}`);
    await client.query(`ALTER TABLE public.${table} SET SCHEMA ${RETIRED_SCHEMA}`);
    await client.query(`ALTER TABLE ${SHADOW_SCHEMA}.${table} SET SCHEMA public`);
  }
  for (const member of members) {
    await client.query(
      `UPDATE projection_checkpoints live
       SET transaction_id = r.transaction_id, position = r.position, events_applied = r.events_applied,
           updated_at = clock_timestamp(), last_error = r.last_error, last_error_at = r.last_error_at
       FROM projection_checkpoints r WHERE live.projection = $1 AND r.projection = $2`,
      [member.projection.name, member.checkpointName],
    );
    await client.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [member.checkpointName]);
  }
  return applied;
}
