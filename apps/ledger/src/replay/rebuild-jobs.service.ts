import { ConflictException, Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { rebuildProjection, RebuildProgress } from '@ledger/event-store';
import { rebuildTargets } from '@ledger/projections';
import { LedgerConfig } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';

export interface RebuildJob {
  id: string;
  projection: string;
  state: 'running' | 'succeeded' | 'failed';
  progress: RebuildProgress | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

const KEPT_JOBS = 50;

/** Rebuilds started over HTTP run in this process, in the background, one per projection. */
@Injectable()
export class RebuildJobs implements OnModuleDestroy {
  private readonly logger = new Logger(RebuildJobs.name);
  private readonly jobs = new Map<string, RebuildJob>();
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly config: LedgerConfig,
  ) {}

  start(projection: string): RebuildJob {
    const [target] = rebuildTargets([projection]);
    if (this.running.has(projection)) throw new ConflictException(`a rebuild of ${projection} is already running here`);
    const job: RebuildJob = {
      id: randomUUID(),
      projection,
      state: 'running',
      progress: null,
      error: null,
      started_at: new Date().toISOString(),
      finished_at: null,
    };
    this.remember(job);
    const controller = new AbortController();
    const done = rebuildProjection(this.pool, target, {
      maxMemoryMb: this.config.replayMaxMb,
      signal: controller.signal,
      onProgress: (p) => (job.progress = p),
    })
      .then(() => {
        job.state = 'succeeded';
      })
      .catch((error: Error) => {
        job.state = 'failed';
        job.error = error.message;
        this.logger.warn(`rebuild of ${projection} failed: ${error.message}`);
      })
      .finally(() => {
        job.finished_at = new Date().toISOString();
        this.running.delete(projection);
      });
    this.running.set(projection, { controller, done });
    return job;
  }

  list(): RebuildJob[] {
    return [...this.jobs.values()].reverse();
  }

  private remember(job: RebuildJob): void {
    this.jobs.set(job.id, job);
    if (this.jobs.size > KEPT_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
  }

  /** Interrupted rebuilds leave the live read models untouched and resume on the next run. */
  async onModuleDestroy(): Promise<void> {
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
