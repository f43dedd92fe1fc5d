/**
 * The one path by which events reach a read model: apply → park → advance (applyParkAndAdvance),
 * and the isolation of a failed batch one event at a time. Every caller brings its transaction.
 */
import type { Pool, PoolClient } from 'pg';
import { advanceCheckpoint, lockCheckpoint } from './checkpoints';
import { parkEvents } from './dead-letters';
import type { LogCursor } from '../log-cursor';
import type { LogEvent, Projection, ProjectionFailure } from './log-event';
import { eventsAfter, readSafeBatch } from '../log-reader';
import { inTransaction, TransactionOptions, withinSavepoint } from './transactions';

/** A projection and the checkpoint row it reads and advances (the projection's name, or its rebuild's). */
export interface BatchMember {
  projection: Projection;
  checkpointName: string;
}

export interface ApplyOptions {
  /** Throw on the first event a projection cannot apply instead of parking it. */
  failFast?: boolean;
  /**
   * The events are one event looked at alone (isolating a failed batch, a retry): applied inside
   * a savepoint, so an event that breaks the apply as a whole (not just its evolve) is parked too.
   * Batches of many skip the savepoint (a round trip each): their caller isolates a failed one.
   */
  alone?: boolean;
}

export class PoisonEventError extends Error {
  constructor(readonly failure: ProjectionFailure) {
    super(`event ${failure.event.eventId} (position ${failure.event.position}) failed: ${failure.error.message}`);
    this.name = 'PoisonEventError';
  }
}

/**
 * The one path from the log to a read model (docs/design.md, rule 5), inside the caller's transaction,
 * which has set the search_path and locked the checkpoint row at `checkpoint`: apply the events
 * past the checkpoint, park those the projection refused, move the checkpoint by compare-and-set.
 * The live pass, the isolation of a failed batch and a rebuild's load and swap all come here.
 * Throws when the batch fails as a whole; the caller's transaction or savepoint takes it back.
 */
export async function applyParkAndAdvance(
  client: PoolClient,
  member: BatchMember,
  events: LogEvent[],
  checkpoint: LogCursor,
  options: ApplyOptions,
): Promise<void> {
  const due = eventsAfter(events, checkpoint);
  if (due.length === 0) return;
  const parked = await applyAndPark(client, member.projection, due, options);
  await advanceCheckpoint(client, member.checkpointName, due[due.length - 1], due.length - parked.length, parked, checkpoint);
}

export interface ParkedEvent extends ProjectionFailure {
  /** How many times it has been parked (a retry that failed counts one more). */
  attempts: number;
}

/**
 * Apply and park, the first two steps of applyParkAndAdvance; a dead-letter retry stops here,
 * since its event lies behind the checkpoint, which stays where it is.
 */
export async function applyAndPark(client: PoolClient, projection: Projection, events: LogEvent[], options: ApplyOptions): Promise<ParkedEvent[]> {
  const failures = options.alone && !options.failFast ? await applyAlone(client, projection, events) : await projection.apply(client, events);
  if (failures.length > 0 && options.failFast) throw new PoisonEventError(failures[0]);
  const attempts = await parkEvents(client, projection.name, failures);
  return failures.map((failure, i) => ({ ...failure, attempts: attempts[i] }));
}

async function applyAlone(client: PoolClient, projection: Projection, events: LogEvent[]): Promise<ProjectionFailure[]> {
  const applied = await withinSavepoint(client, () => projection.apply(client, events));
  if (!(applied instanceof Error)) return applied;
  if (events.length > 1) throw applied;
  return [{ event: events[0], error: applied }];
}

export interface IsolateOptions extends TransactionOptions, ApplyOptions {
  /** The failed batch's size: how many events to go over at most. */
  limit: number;
  untilPosition?: number;
}

/**
 * After a batch failed as a whole: goes over its span one event at a time, each in a transaction
 * of its own, so that the event breaking it is parked and the others are applied. The live
 * runner and the rebuild both isolate this way.
 */
export async function isolateFailedSpan(pool: Pool, member: BatchMember, options: IsolateOptions): Promise<void> {
  for (let i = 0; i < options.limit; i++) {
    const read = await inTransaction(pool, options, async (client) => {
      const checkpoint = await lockCheckpoint(client, member.checkpointName);
      const events = await readSafeBatch(client, checkpoint, 1, options.untilPosition, { insideTransaction: true });
      await applyParkAndAdvance(client, member, events, checkpoint, { failFast: options.failFast, alone: true });
      return events.length;
    });
    if (read === 0) return;
  }
}
