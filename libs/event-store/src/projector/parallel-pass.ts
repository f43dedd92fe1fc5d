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
  /** Members applying at once; each holds a connection meanwhile. Default: all of them. */
  concurrency?: number;
}

export interface PassResult {
  /** Events read from the log (once, for every member). */
  read: number;
  /** Members whose batch failed as a whole: rolled back, checkpoint not moved; the caller isolates them (isolateFailedSpan). */
  failed: { member: BatchMember; error: Error }[];
  /** Seconds each member's transaction took, waiting for a connection included. */
  timings: { projection: string; seconds: number }[];
}

/**
 * The live runner's pass over the log, built for throughput. The
 * log is read once per batch for every member (a rebuild's pass is FoldingPass). Each member
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

  constructor(
    private readonly pool: Pool,
    private readonly members: BatchMember[],
    private readonly options: ParallelPassOptions,
  ) {}

  async next(): Promise<PassResult> {
    const from = this.cursor ?? (await this.oldestCheckpoint());
    const events = await this.read(from);
    if (events.length === 0) {
      this.cursor = undefined; // the xmin horizon may be holding events back: ask again next time
      return { read: 0, failed: [], timings: [] };
    }
    const last = events[events.length - 1];

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
    if (rejected) throw rejected.reason;
    const outcomes = settled.map((s) => (s as PromiseFulfilledResult<MemberOutcome>).value);
    const failed = outcomes.flatMap((o, i) => (o instanceof Error ? [{ member: this.members[i], error: o }] : []));
    const leftBehind = outcomes.some((o) => o !== 'applied');
    if (leftBehind) {
      // Read again from the slowest member.
      this.cursor = undefined;
    } else {
      this.cursor = { transactionId: last.transactionId, position: last.position };
    }
    return { read: events.length, failed, timings };
  }

  private read(after: LogCursor): Promise<LogEvent[]> {
    return withPooledClient(this.pool, (client) => readSafeBatch(client, after, this.options.limit, this.options.untilPosition));
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
