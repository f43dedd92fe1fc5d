import type { Pool } from 'pg';
import { ensureCheckpoints, hasUnappliedUpTo } from '../checkpoints';
import type { Projection } from '../log-event';
import { FoldingPass } from './folding-pass';
import { RebuildLock, takeRebuildLock } from './rebuild-lock';
import type { RebuildProbes } from './rebuild-probes';
import { buildSecondaryIndexes, createShadowSchema, dropRetiredTables, prepareShadow, SHADOW_SCHEMA } from './shadow-tables';
import { RebuildMember, swapIn } from './swap';

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
  /** Events read from the log at once. */
  batchSize?: number;
  /** Heap (MB) past which the projections write what they fold in memory (REPLAY_MAX_MB). Default 512. */
  maxMemoryMb?: number;
  untilPosition?: number;
  failFast?: boolean;
  /** Start over even when an interrupted rebuild could be resumed. */
  fresh?: boolean;
  /** Aborting stops between batches; the live read models are untouched. */
  signal?: AbortSignal;
  onProgress?: (progress: RebuildProgress) => void;
}

export class RebuildInterruptedError extends Error {
  constructor(readonly projection: string) {
    super(`rebuild of ${projection} interrupted; the live read model is untouched, run it again to resume`);
    this.name = 'RebuildInterruptedError';
  }
}

export const DEFAULT_MAX_MEMORY_MB = 512;

/**
 * The heap the folds may fill before they flush: 40% of the cap on the process's resident memory,
 * which also holds garbage not yet collected, the batches in flight, buffers and the code
 * (measured on 1,000,000 realistic events: at 50%, 431 and 531 MB resident for a cap of 512;
 * at 360 × 50%, 332 MB).
 */
export const memoryLimitBytes = (maxMemoryMb: number) => maxMemoryMb * 1024 * 1024 * 0.4;

export const rebuildCheckpointName = (projection: string) => `${projection}@rebuild`;

/**
 * Rebuilds projections from the log into shadow tables while the live read models keep serving
 * and the live projector keeps running, then swaps the shadow tables in atomically (blue/green,
 * as Marten does) and hands the live projector the rebuild's checkpoints. Several projections
 * rebuild together in one pass over the log (one read per batch for all of them).
 * `probes` are for tests only (see RebuildProbes).
 */
export async function rebuildProjections(
  pool: Pool,
  targets: RebuildTarget[],
  options: RebuildOptions = {},
  probes: RebuildProbes = {},
): Promise<RebuildProgress> {
  const lock = await takeRebuildLock(pool, targets.map((t) => t.projection.name));
  try {
    return await rebuildLocked(pool, targets, options, probes, lock);
  } finally {
    await lock.release();
  }
}

export function rebuildProjection(pool: Pool, target: RebuildTarget, options: RebuildOptions = {}, probes: RebuildProbes = {}): Promise<RebuildProgress> {
  return rebuildProjections(pool, [target], options, probes);
}

async function rebuildLocked(
  pool: Pool,
  targets: RebuildTarget[],
  options: RebuildOptions,
  probes: RebuildProbes,
  lock: RebuildLock,
): Promise<RebuildProgress> {
  const label = targets.map((t) => t.projection.name).join(', ');
  const members: RebuildMember[] = targets.map((t) => ({ ...t, checkpointName: rebuildCheckpointName(t.projection.name) }));
  // The projections fold in memory across batches, so a batch is only the unit of reading.
  const batchSize = options.batchSize ?? 1000;
  await ensureCheckpoints(pool, targets.map((t) => t.projection.name));
  await createShadowSchema(pool);
  const resumed: number[] = [];
  for (const member of members) resumed.push(await prepareShadow(pool, member.tables, member.checkpointName, options.fresh ?? false));

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
  const pass = await FoldingPass.open(pool, members, {
    ...batch,
    memoryLimitBytes: memoryLimitBytes(options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB),
  });
  try {
    for (;;) {
      if (options.signal?.aborted) throw new RebuildInterruptedError(label);
      await probes.betweenBatches?.();
      lock.assertHeld();
      const { read, fresh } = await pass.next();
      done += fresh;
      options.onProgress?.(progress('loading'));
      if (read === batchSize) continue;
      // An empty read can mean "held back by the xmin horizon": finish only past the head seen at start.
      const behind = await Promise.all(members.map((m) => hasUnappliedUpTo(pool, m.checkpointName, head)));
      if (!behind.includes(true)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await pass.close();
  }

  for (const table of members.flatMap((m) => m.tables)) await buildSecondaryIndexes(pool, table);
  await probes.beforeSwap?.();
  if (options.signal?.aborted) throw new RebuildInterruptedError(label);
  options.onProgress?.(progress('swapping'));
  done += await swapIn(pool, members, batch, lock);
  const finished = progress('done');
  options.onProgress?.(finished);
  await dropRetiredTables(pool, members.flatMap((m) => m.tables));
  return finished;
}
