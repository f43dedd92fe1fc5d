import type { Pool, PoolClient } from 'pg';
import { advanceCheckpoint, lockCheckpoint, parkEvents, readSafeBatch } from './checkpoints';
import type { LogEvent, Projection, ProjectionFailure } from './log-event';
import { withPooledClient } from './pooled-client';
import { isTransientError } from '../database-errors';

export interface TransactionOptions {
  /** Schema searched first for the read-model tables (a rebuild's shadow schema). */
  schema?: string;
  /**
   * Commit without waiting for the WAL flush (a rebuild's batches): a crash can take back the
   * last few such transactions, read-model rows and checkpoint together, to be redone from the
   * log. WAL is flushed in order, so any later durable commit makes them durable too.
   */
  asynchronousCommit?: boolean;
}

export interface BatchOptions extends TransactionOptions {
  /** Checkpoint row to read and advance (the projection's name, or its rebuild's). */
  checkpointName: string;
  limit: number;
  untilPosition?: number;
  /** Throw on the first event a projection cannot apply instead of parking it. */
  failFast?: boolean;
}

export interface BatchResult {
  read: number;
  parked: ProjectionFailure[];
  last?: LogEvent;
}

export class PoisonEventError extends Error {
  constructor(readonly failure: ProjectionFailure) {
    super(`event ${failure.event.eventId} (position ${failure.event.position}) failed: ${failure.error.message}`);
    this.name = 'PoisonEventError';
  }
}

/**
 * One batch of one projection in one transaction (design.md rule 5): lock the checkpoint row,
 * read the next events in safe order, apply them, park the ones that fail, advance the
 * checkpoint, commit. Throws (after rolling back) when the batch itself fails.
 */
export function applyNextBatch(pool: Pool, projection: Projection, options: BatchOptions): Promise<BatchResult> {
  return inTransaction(pool, options, (client) => applyBatchIn(client, projection, options));
}

/**
 * After a batch failed as a whole: goes over its span one event at a time, so that the event
 * breaking it is parked (a lone event that breaks its batch is parked, see applyBatchIn) and the
 * others are applied. The live runner and the rebuild both isolate this way.
 */
export async function isolateFailedSpan(pool: Pool, projection: Projection, options: BatchOptions): Promise<void> {
  for (let i = 0; i < options.limit; i++) {
    const { read } = await applyNextBatch(pool, projection, { ...options, limit: 1 });
    if (read === 0) return;
  }
}

export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Runs `work` in one transaction on a pooled client, with `schema` first on the search_path
 * (a rebuild's shadow tables) and, if asked, an asynchronous commit. Rolls back and rethrows
 * on failure.
 */
export async function inTransaction<T>(pool: Pool, options: TransactionOptions, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withPooledClient(pool, async (client) => {
    try {
      // One round trip: the settings travel with BEGIN (a rebuild opens one such transaction per member per batch).
      let begin = 'BEGIN';
      if (options.asynchronousCommit) begin += '; SET LOCAL synchronous_commit = off';
      if (options.schema) begin += `; SET LOCAL search_path = ${client.escapeIdentifier(options.schema)}, public`;
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** The body of a batch, inside a transaction the caller owns (and whose search_path it set). */
export async function applyBatchIn(client: PoolClient, projection: Projection, options: BatchOptions): Promise<BatchResult> {
  const checkpoint = await lockCheckpoint(client, options.checkpointName);
  const events = await readSafeBatch(client, checkpoint, options.limit, options.untilPosition);
  if (events.length === 0) return { read: 0, parked: [] };
  const applied = await applyInSavepoint(client, projection, events);
  if (applied instanceof Error && (events.length > 1 || options.failFast)) throw applied;
  // A single event that breaks the batch itself (not just its evolve) is parked too.
  const failures = applied instanceof Error ? [{ event: events[0], error: applied }] : applied;
  if (failures.length > 0 && options.failFast) throw new PoisonEventError(failures[0]);
  await parkEvents(client, projection.name, failures);
  const last = events[events.length - 1];
  await advanceCheckpoint(client, options.checkpointName, last, events.length - failures.length, failures, checkpoint);
  return { read: events.length, parked: failures, last };
}

/**
 * Applies `events` inside a savepoint, in the caller's transaction (see withinSavepoint): the
 * projection's failures, or the error that broke the whole apply.
 */
export function applyInSavepoint(client: PoolClient, projection: Projection, events: LogEvent[]): Promise<ProjectionFailure[] | Error> {
  return withinSavepoint(client, () => projection.apply(client, events));
}

/**
 * Runs `work` inside a savepoint of the caller's transaction. When it throws, rolls back to the
 * savepoint and returns the error, so the transaction can go on to park or record it. A
 * transient error is thrown: the transaction is lost or must be retried whole anyway.
 */
export async function withinSavepoint<T>(client: PoolClient, work: () => Promise<T>): Promise<T | Error> {
  await client.query('SAVEPOINT apply');
  try {
    return await work();
  } catch (error) {
    if (isTransientError(error)) throw error;
    // If even that fails (the connection is gone), the original error is the one to report.
    await client.query('ROLLBACK TO SAVEPOINT apply').catch(() => {
      throw error;
    });
    return asError(error);
  }
}
