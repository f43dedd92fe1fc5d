import type { Pool } from 'pg';
import { isTransientError } from '../../database-errors';
import { applyParkAndAdvance, isolateFailedSpan, PoisonEventError } from '../apply-batch';
import { advanceCheckpoint, lockCheckpoint, readCheckpoints } from '../checkpoints';
import { parkEvents } from '../dead-letters';
import type { LogCursor } from '../../log-cursor';
import { FLUSH_FIRST, LogEvent, ProjectionFailure, ProjectionFold } from '../log-event';
import { eventsAfter, isAfter, oldestOf, readSafeBatch } from '../../log-reader';
import { withPooledClient } from '../pooled-client';
import { asError, inTransaction, TransactionOptions } from '../transactions';
import { collectGarbage } from './heap';
import type { RebuildMember } from './swap';

export interface FoldingPassOptions extends TransactionOptions {
  /** Events read from the log at once. */
  limit: number;
  untilPosition?: number;
  failFast?: boolean;
  /** Heap in use (bytes) past which every member writes what it holds (REPLAY_MAX_MB). */
  memoryLimitBytes: number;
}

/** A member as the pass drives it: its fold, what it has stored and what it has taken in memory. */
interface Folding {
  member: RebuildMember;
  /** Undefined: applied the usual way, one transaction per batch (no fold, or a flush of it failed). */
  fold: ProjectionFold | undefined;
  /** Its checkpoint: what its tables hold. */
  stored: LogCursor;
  /** The last event it has taken, in memory or stored: where its next batch starts. */
  taken: LogCursor;
  /** Taken since the last flush, and of those the ones its fold could not apply (parked at the flush). */
  inMemory: { last: LogEvent | undefined; count: number; failures: ProjectionFailure[] };
}

/**
 * A rebuild's pass over the log: read once per batch for every member (the next batch read while
 * this one is folded), folded in memory by each member's ProjectionFold, and written at a flush:
 * when the heap passes `memoryLimitBytes`, when the log is read to its end, or before a batch a
 * fold cannot take in memory. A flush writes one member's documents, parks its failures and moves
 * its checkpoint in one transaction, so a rebuild interrupted between flushes resumes from the
 * last one. A member whose flush fails goes on the usual way (applyParkAndAdvance per batch,
 * isolating what breaks it) from its last flush.
 */
export class FoldingPass {
  private ahead: { from: LogCursor; events: Promise<LogEvent[]> } | undefined;
  private countedUpTo: LogCursor | undefined;

  private constructor(
    private readonly pool: Pool,
    private readonly members: Folding[],
    private readonly options: FoldingPassOptions,
  ) {}

  static async open(pool: Pool, members: RebuildMember[], options: FoldingPassOptions): Promise<FoldingPass> {
    const checkpoints = await readCheckpoints(pool, members.map((m) => m.checkpointName));
    return new FoldingPass(
      pool,
      members.map((member, i) => ({
        member,
        // A shadow at the start of the log is empty (prepareShadow); one moved on holds rows, even past events all parked.
        fold: member.projection.openFold?.(checkpoints[i].position === 0),
        stored: checkpoints[i],
        taken: checkpoints[i],
        inMemory: { last: undefined, count: 0, failures: [] },
      })),
      options,
    );
  }

  /** Takes the next batch: `read` events read, `fresh` of them past every batch before. */
  async next(): Promise<{ read: number; fresh: number }> {
    const from = oldestOf(this.members.map((m) => m.taken));
    const ahead = this.ahead;
    this.ahead = undefined;
    const events = await (ahead && sameCursor(ahead.from, from) ? ahead.events : this.read(from));
    if (events.length === 0) {
      await this.flushAll();
      return { read: 0, fresh: 0 };
    }
    const last = events[events.length - 1];
    const fresh = this.countedUpTo ? eventsAfter(events, this.countedUpTo).length : events.length;
    if (!this.countedUpTo || isAfter(last, this.countedUpTo)) this.countedUpTo = last;
    if (events.length === this.options.limit) this.ahead = { from: last, events: this.read(last) };

    // All settle before anything is thrown: no transaction is left running behind the caller.
    const settled = await Promise.allSettled(this.members.map((m) => this.take(m, events)));
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;
    if (events.length < this.options.limit) {
      await this.flushAll();
    } else if (process.memoryUsage().heapUsed > this.options.memoryLimitBytes) {
      await this.flushAll();
      collectGarbage();
    }
    return { read: events.length, fresh };
  }

  /** Writes what every member holds (the caller stops, or memory is full), side by side, as the live pass applies. */
  async flushAll(): Promise<void> {
    const settled = await Promise.allSettled(this.members.map((m) => this.flush(m)));
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;
  }

  /** Waits for a read still in flight, so nothing is left running when the pass stops. */
  async close(): Promise<void> {
    await this.ahead?.events.catch(() => undefined);
    this.ahead = undefined;
  }

  private read(after: LogCursor): Promise<LogEvent[]> {
    const reading = withPooledClient(this.pool, (client) => readSafeBatch(client, after, this.options.limit, this.options.untilPosition));
    reading.catch(() => undefined); // awaited later; never an unhandled rejection meanwhile
    return reading;
  }

  private async take(m: Folding, events: LogEvent[]): Promise<void> {
    const due = eventsAfter(events, m.taken);
    if (due.length === 0) return;
    const last = due[due.length - 1];
    if (m.fold) {
      const fold = m.fold;
      const outcome = await fold.add(due, (work) => inTransaction(this.pool, this.options, work)).catch((error): typeof FLUSH_FIRST => {
        if (this.stops(error)) throw error;
        return FLUSH_FIRST; // a load that failed: the usual way isolates the event behind it
      });
      if (outcome !== FLUSH_FIRST) {
        if (outcome.length > 0 && this.options.failFast) throw new PoisonEventError(outcome[0]);
        m.inMemory.failures.push(...outcome);
        m.inMemory.count += due.length;
        m.inMemory.last = last;
        m.taken = last;
        return;
      }
      await this.flush(m);
      // The flush failed: what the fold held is taken again from its last flush, the usual way,
      // from the next read on. Applying this batch now would skip the events before it.
      if (!m.fold) return;
    }
    await this.applyUsualWay(m, due);
  }

  /** The live projector's way: one transaction for the batch; a batch that fails as a whole is isolated. */
  private async applyUsualWay(m: Folding, due: LogEvent[]): Promise<void> {
    const failed = await inTransaction(this.pool, this.options, async (client) => {
      const checkpoint = await lockCheckpoint(client, m.member.checkpointName);
      await applyParkAndAdvance(client, m.member, due, checkpoint, { failFast: this.options.failFast });
    }).then(
      () => undefined,
      (error) => {
        if (this.stops(error)) throw error;
        return asError(error);
      },
    );
    if (failed) await isolateFailedSpan(this.pool, m.member, { ...this.options, limit: due.length });
    [m.stored] = await readCheckpoints(this.pool, [m.member.checkpointName]);
    m.taken = m.stored;
  }

  private async flush(m: Folding): Promise<void> {
    const { fold, inMemory } = m;
    if (!fold) return;
    m.inMemory = { last: undefined, count: 0, failures: [] };
    if (!inMemory.last) {
      fold.forget();
      return;
    }
    const last = inMemory.last;
    try {
      await inTransaction(this.pool, this.options, async (client) => {
        await lockCheckpoint(client, m.member.checkpointName);
        await fold.flush(client);
        await parkEvents(client, m.member.projection.name, inMemory.failures);
        await advanceCheckpoint(client, m.member.checkpointName, last, inMemory.count - inMemory.failures.length, inMemory.failures, m.stored);
      });
      m.stored = last;
    } catch (error) {
      fold.forget();
      if (this.stops(error)) throw error;
      // What the flush could not write is taken again from the log the usual way, which parks what breaks it.
      m.fold = undefined;
      m.taken = m.stored;
    }
  }

  /** A fault a retry fixes (a moved checkpoint included), or fail-fast: the rebuild stops, a rerun resumes. */
  private stops(error: unknown): boolean {
    return Boolean(this.options.failFast) || isTransientError(error);
  }
}

const sameCursor = (a: LogCursor, b: LogCursor) => a.transactionId === b.transactionId && a.position === b.position;
