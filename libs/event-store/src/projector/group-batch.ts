import type { PoolClient } from 'pg';
import { PoisonEventError, withinSavepoint } from './batch';
import { isTransientError } from '../database-errors';
import { advanceCheckpoint, parkEvents, readSafeBatch, toCheckpoint } from './checkpoints';
import type { Checkpoint, LogEvent, Projection, ProjectionFailure } from './log-event';

export interface GroupMember {
  projection: Projection;
  /** Its checkpoint row (the projection's name, or its rebuild's). */
  checkpointName: string;
}

export interface GroupBatchOptions {
  limit: number;
  untilPosition?: number;
  failFast?: boolean;
}

export interface GroupBatchResult {
  /** Events read from the log (once, for every member). */
  read: number;
  /** Members whose batch failed as a whole: rolled back to their savepoint, checkpoint not moved. */
  failed: { name: string; error: Error }[];
}

/** Whether `a` (an event or a checkpoint) comes after `b` in safe order. */
export function isAfter(a: Checkpoint, b: Checkpoint): boolean {
  const xid = BigInt(a.transactionId);
  const at = BigInt(b.transactionId);
  return xid > at || (xid === at && a.position > b.position);
}

/**
 * The events of a batch (in safe order) that come after `checkpoint`: a tail of the batch,
 * usually all of it, found without comparing every event.
 */
export function eventsAfter(events: LogEvent[], checkpoint: Checkpoint): LogEvent[] {
  const first = events.findIndex((e) => isAfter(e, checkpoint));
  return first === 0 ? events : first < 0 ? [] : events.slice(first);
}

/** The checkpoint furthest behind. */
export function oldestOf(checkpoints: Checkpoint[]): Checkpoint {
  return checkpoints.reduce((a, b) => (isAfter(a, b) ? b : a));
}

/**
 * A member's step inside the caller's transaction: applies the events past its checkpoint, parks
 * those its projection refused, and moves its checkpoint by compare-and-set. Throws when the
 * batch fails as a whole.
 */
export async function applyDue(client: PoolClient, member: GroupMember, events: LogEvent[], checkpoint: Checkpoint, failFast?: boolean): Promise<void> {
  const due = eventsAfter(events, checkpoint);
  if (due.length === 0) return;
  const failures: ProjectionFailure[] = await member.projection.apply(client, due);
  if (failures.length > 0 && failFast) throw new PoisonEventError(failures[0]);
  await parkEvents(client, member.projection.name, failures);
  await advanceCheckpoint(client, member.checkpointName, due[due.length - 1], due.length - failures.length, failures, checkpoint);
}

/**
 * Whether a member's failed batch ends the whole batch (fail-fast, or a fault a retry fixes,
 * a moved checkpoint included) instead of being isolated one event at a time.
 */
export function stopsTheBatch(error: unknown, failFast?: boolean): boolean {
  return Boolean(failFast) || isTransientError(error);
}

/**
 * One read of the log serves every member: the events after the oldest member's checkpoint are
 * read once in safe order, and each member applies those past its own checkpoint, inside its own
 * savepoint, and advances its own checkpoint, all in the caller's transaction (a rebuild's swap,
 * which must catch up and move the tables atomically). Batches outside a swap go through
 * ParallelPass instead, each member in a transaction of its own.
 */
export async function applyGroupBatchIn(client: PoolClient, members: GroupMember[], options: GroupBatchOptions): Promise<GroupBatchResult> {
  // Lock every member's checkpoint, in a fixed order so two groups never deadlock.
  const names = members.map((m) => m.checkpointName);
  const locked = await client.query<{ projection: string; transaction_id: string; position: string }>({
    name: 'lock-group-checkpoints',
    text: `SELECT projection, transaction_id::text, position FROM projection_checkpoints
           WHERE projection = ANY($1::text[]) ORDER BY projection FOR UPDATE`,
    values: [names],
  });
  const checkpoints = new Map<string, Checkpoint>(
    locked.rows.map((r) => [r.projection, toCheckpoint(r)]),
  );
  const missing = names.filter((n) => !checkpoints.has(n));
  if (missing.length > 0) throw new Error(`no checkpoint row for ${missing.join(', ')}`);

  const events = await readSafeBatch(client, oldestOf([...checkpoints.values()]), options.limit, options.untilPosition);
  const result: GroupBatchResult = { read: events.length, failed: [] };
  if (events.length === 0) return result;

  for (const member of members) {
    const outcome = await withinSavepoint(client, () => applyDue(client, member, events, checkpoints.get(member.checkpointName)!, options.failFast));
    if (outcome instanceof Error) {
      if (stopsTheBatch(outcome, options.failFast)) throw outcome;
      result.failed.push({ name: member.projection.name, error: outcome });
    }
  }
  return result;
}
