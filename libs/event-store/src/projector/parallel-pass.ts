import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { isTransientError } from '../database-errors';
import { applyParkAndAdvance, ApplyOptions, BatchMember } from './apply-batch';
import { lockCheckpoint, readCheckpoints } from './checkpoints';
import type { LogCursor } from '../log-cursor';
import type { LogEvent } from './log-event';
import { eventsAfter, isAfter, oldestOf, readSafeBatch } from '../log-reader';
import { withPooledClient } from './pooled-client';
import { asError, inTransaction, TransactionOptions } from './transactions';

export interface ParallelPassOptions extends ApplyOptions, TransactionOptions {
  limit: number;
  untilPosition?: number;
  /** Read the next batch while this one is applied (a rebuild); off for a live projector, which catches up in small steps. */
  readAhead?: boolean;
  /** Members applying at once; each holds a connection meanwhile. Default: all of them. */
  concurrency?: number;
}

export interface PassResult {
  /** Events read from the log (once, for every member). */
  read: number;
  /** Of those, the events past the last batch this pass returned: a batch read again after a failure is not progress. */
  fresh: number;
  /** Members whose batch failed as a whole: rolled back, checkpoint not moved; the caller isolates them (isolateFailedSpan). */
  failed: { member: BatchMember; error: Error }[];
  /** Seconds each member's transaction took, waiting for a connection included. */
  timings: { projection: string; seconds: number }[];
}

/**
 * The pass over the log of the live runner and of a rebuild's load, built for throughput. The
 * log is read once per batch for every member, and (a rebuild) the next batch is read while the members apply the current one. Each member
 * applies a batch in a transaction of its own, all members at once: PostgreSQL works for one
 * member while Node.js folds the events of another, instead of one after the other.
 *
 * Each member's transaction still locks its checkpoint, applies only the events past it and
 * moves it by compare-and-set, so a batch is applied at most once whatever runs beside it. A
 * member found behind the batch (its previous batch failed) is left out; the pass then reads
 * again from the oldest checkpoint.
 */
export class ParallelPass {
  private cursor: LogCursor | undefined;
  private ahead: Promise<LogEvent[]> | undefined;
  private countedUpTo: LogCursor | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly members: BatchMember[],
    private readonly options: ParallelPassOptions,
  ) {}

  async next(): Promise<PassResult> {
    const from = this.cursor ?? (await this.oldestCheckpoint());
    const reading = this.ahead ?? this.read(from);
    this.ahead = undefined; // a failed read-ahead is not kept: the next call reads again
    const events = await reading;
    if (events.length === 0) {
      this.cursor = undefined; // the xmin horizon may be holding events back: ask again next time
      return { read: 0, fresh: 0, failed: [], timings: [] };
    }
    const last = events[events.length - 1];
    // Events past the last batch returned, in safe order: a batch read again after a failure is not progress.
    const counted = this.countedUpTo;
    const fresh = counted ? eventsAfter(events, counted).length : events.length;
    if (!counted || isAfter(last, counted)) this.countedUpTo = last;
    if (events.length === this.options.limit && this.options.readAhead !== false) this.ahead = this.read(last);

    // All settle before anything is thrown: no transaction is left running behind the caller.
    const timings: PassResult['timings'] = [];
    const settled = await settleAll(this.members, this.options.concurrency ?? this.members.length, async (member) => {
      const started = performance.now();
      try {
        return await this.applyTo(member, from, events);
      } finally {
        timings.push({ projection: member.projection.name, seconds: (performance.now() - started) / 1000 });
      }
    });
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) {
      await this.close();
      throw rejected.reason;
    }
    const outcomes = settled.map((s) => (s as PromiseFulfilledResult<MemberOutcome>).value);
    const failed = outcomes.flatMap((o, i) => (o instanceof Error ? [{ member: this.members[i], error: o }] : []));
    const leftBehind = outcomes.some((o) => o !== 'applied');
    if (leftBehind) {
      // Read again from the slowest member; whatever was read ahead is dropped.
      await this.close();
      this.cursor = undefined;
    } else {
      this.cursor = { transactionId: last.transactionId, position: last.position };
    }
    return { read: events.length, fresh, failed, timings };
  }

  /** Waits for a read still in flight, so nothing is left running when the pass stops. */
  async close(): Promise<void> {
    await this.ahead?.catch(() => undefined);
    this.ahead = undefined;
  }

  private read(after: LogCursor): Promise<LogEvent[]> {
    const reading = withPooledClient(this.pool, (client) => readSafeBatch(client, after, this.options.limit, this.options.untilPosition));
    reading.catch(() => undefined); // awaited later; never an unhandled rejection meanwhile
    return reading;
  }

  private async oldestCheckpoint(): Promise<LogCursor> {
    return oldestOf(await readCheckpoints(this.pool, this.members.map((m) => m.checkpointName)));
  }

  private applyTo(member: BatchMember, from: LogCursor, events: LogEvent[]): Promise<MemberOutcome> {
    return inTransaction(this.pool, this.options, async (client): Promise<MemberOutcome> => {
      const checkpoint = await lockCheckpoint(client, member.checkpointName);
      // Behind the batch's start: applying it would skip the events in between.
      if (isAfter(from, checkpoint)) return 'behind';
      await applyParkAndAdvance(client, member, events, checkpoint, { failFast: this.options.failFast });
      return 'applied';
    }).catch((error): MemberOutcome => {
      if (stopsTheBatch(error, this.options.failFast)) throw error;
      return asError(error);
    });
  }
}

/**
 * Whether a member's failed batch ends the whole pass (fail-fast, or a fault a retry fixes,
 * a moved checkpoint included) instead of being isolated one event at a time.
 */
function stopsTheBatch(error: unknown, failFast?: boolean): boolean {
  return Boolean(failFast) || isTransientError(error);
}

/** Applied; left out because its checkpoint is behind the batch; or its batch failed as a whole. */
type MemberOutcome = 'applied' | 'behind' | Error;

/** Promise.allSettled over `items`, at most `concurrency` at a time, results in the items' order. */
async function settleAll<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]).then(
        (value): PromiseFulfilledResult<R> => ({ status: 'fulfilled', value }),
        (reason): PromiseRejectedResult => ({ status: 'rejected', reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
