import type { Pool } from 'pg';
import { isConnectionError } from '../database-errors';
import { EVENTS_APPENDED_CHANNEL } from '../event-store';
import { isolateFailedSpan } from './apply-batch';
import { ensureCheckpoints, hasUnappliedUpTo, recordProjectionError } from './checkpoints';
import { LockSession } from './lock-session';
import type { Projection } from './log-event';
import { ParallelPass, PassResult } from './parallel-pass';

export interface ProjectionRunnerOptions {
  batchSize: number;
  /** Fallback poll when no NOTIFY arrives (lost notification, another writer, a restart). */
  pollIntervalMs: number;
  logger?: { log(message: string): void; warn(message: string): void; error(message: string): void };
  /** Told after every batch the live pass applied (metrics): its size and each projection's time on it. */
  onBatch?: (batch: AppliedBatch) => void;
}

export interface AppliedBatch {
  events: number;
  projections: PassResult['timings'];
}

// Enough to keep PostgreSQL and Node busy together, few enough to leave the pool to the webhooks.
const LIVE_CONCURRENCY = 3;

/** First key of the two-key advisory locks: one owner per projection across all processes. */
const PROJECTION_LOCK_CLASS = 7_346_002;

/**
 * Drives projections from the log. Per projection, exactly one process applies events: the one
 * holding its session advisory lock (docs/design.md, rule 6). A process that loses its lock
 * connection, or dies, releases the lock with it, and another process takes over.
 *
 * The log is read once per batch for all projections in step (ParallelPass); each projection
 * then applies it in a transaction of its own, a few side by side: write the read model and
 * advance the checkpoint together (rule 5). The checkpoint row is locked FOR UPDATE first, so
 * even two runners that both believe they own a projection cannot apply the same events twice.
 */
export class ProjectionRunner {
  private lockSession?: LockSession;
  private readonly owned = new Set<string>();
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private pendingWake = false;
  /** The pass over the owned projections, kept while they stay the same: it knows where it is. */
  private pass?: ParallelPass;

  constructor(
    private readonly pool: Pool,
    private readonly projections: Projection[],
    private readonly options: ProjectionRunnerOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    await ensureCheckpoints(this.pool, this.projections.map((p) => p.name));
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.releaseLockSession();
  }

  /**
   * Applies every event committed before the call, in this process, then returns (tests, tools).
   * Every projection must be free to own: a running projector elsewhere makes this fail.
   *
   * Safe-order reading only sees transactions below the cluster-wide xmin horizon, which any
   * transaction on the server (in any database) can hold back for a while; so "nothing to read"
   * is not "done": this waits until the checkpoint has passed every event committed at the start.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    await ensureCheckpoints(this.pool, this.projections.map((p) => p.name));
    await this.ensureLockSession();
    await this.claimProjections();
    const busy = this.projections.filter((p) => !this.owned.has(p.name)).map((p) => p.name);
    if (busy.length > 0) throw new Error(`projections owned by another process: ${busy.join(', ')}`);
    const head = Number((await this.pool.query('SELECT COALESCE(max(global_position), 0) AS head FROM events')).rows[0].head);
    const deadline = Date.now() + timeoutMs;
    for (let failures = 0; ; ) {
      try {
        if (await this.cycle()) {
          failures = 0;
          continue;
        }
      } catch (error) {
        // A batch that keeps failing is given up after a few tries (cycle isolates data faults itself).
        if (isConnectionError(error) || ++failures > 3) throw error;
        continue;
      }
      const behind = [];
      for (const projection of this.projections) {
        if (await hasUnappliedUpTo(this.pool, projection.name, head)) behind.push(projection.name);
      }
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`drain: ${behind.join(', ')} did not reach position ${head} in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * One round over the owned projections: one batch read once for all of them; a projection
   * whose batch failed as a whole then goes over that span one event at a time, parking the
   * culprit. True when more may wait.
   */
  private async cycle(): Promise<boolean> {
    const owned = this.projections.filter((p) => this.owned.has(p.name));
    if (owned.length === 0) return false;
    const result = await this.passOver(owned).next();
    if (result.read > 0) this.options.onBatch?.({ events: result.read, projections: result.timings });
    for (const { member, error } of result.failed) {
      const name = member.projection.name;
      this.options.logger?.warn(`projector: ${name} failed a batch (${error.message}); isolating the event`);
      await recordProjectionError(this.pool, name, error.message).catch(() => undefined);
      await isolateFailedSpan(this.pool, member, { limit: this.options.batchSize });
    }
    return result.read === this.options.batchSize || result.failed.length > 0;
  }

  /**
   * A pass starts by reading where its members stand; kept from cycle to cycle, it starts each
   * batch where the last one ended instead (and reads the checkpoints again whenever a member
   * was left behind). Dropped whenever the owned projections change (claimProjections,
   * dropLockSession), so a new one is built then.
   */
  private passOver(owned: Projection[]): ParallelPass {
    const members = owned.map((projection) => ({ projection, checkpointName: projection.name }));
    this.pass ??= new ParallelPass(this.pool, members, { limit: this.options.batchSize, concurrency: LIVE_CONCURRENCY });
    return this.pass;
  }

  /** Something was appended: run now instead of at the next poll. */
  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.ensureLockSession();
        await this.claimProjections();
        const more = await this.cycle();
        failures = 0;
        if (!more) await this.idle(this.options.pollIntervalMs);
      } catch (error) {
        failures++;
        this.options.logger?.warn(`projector: ${(error as Error).message}; retrying`);
        // Only a lost connection means the locks may be gone; keep them through a failing batch.
        if (isConnectionError(error)) await this.releaseLockSession();
        await this.idle(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  private async idle(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
    this.pendingWake = false;
  }

  /** The session holding this process's projection locks; it also LISTENs for appends. */
  private async ensureLockSession(): Promise<void> {
    if (this.lockSession) return;
    const session = new LockSession(this.pool, {
      onLost: (reason) => {
        this.options.logger?.warn(`projector lost its lock connection: ${reason.message}`);
        this.dropLockSession(session);
      },
      listen: { channel: EVENTS_APPENDED_CHANNEL, onNotification: () => this.wake() },
    });
    await session.connect();
    this.lockSession = session;
  }

  private dropLockSession(session: LockSession): void {
    if (this.lockSession !== session) return;
    this.lockSession = undefined;
    this.owned.clear(); // session locks die with the session
    this.pass = undefined; // another process may move the checkpoints meanwhile
    this.wake();
  }

  private async releaseLockSession(): Promise<void> {
    const session = this.lockSession;
    if (!session) return;
    this.dropLockSession(session);
    await session.close();
  }

  private async claimProjections(): Promise<void> {
    for (const projection of this.projections) {
      if (this.owned.has(projection.name)) continue;
      if (await this.lockSession!.tryLock(PROJECTION_LOCK_CLASS, projection.name)) {
        this.owned.add(projection.name);
        this.pass = undefined; // one more member
        this.options.logger?.log(`projector: now owns ${projection.name}`);
      }
    }
  }
}
