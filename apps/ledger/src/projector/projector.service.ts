import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { eventChainProjection, ProjectionRunner } from '@ledger/event-store';
import { ALL_READ_MODELS, asProjection } from '@ledger/projections';
import { LedgerConfig } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';
import { EventsAppended } from '../ingest/events-appended.event';
import { Metrics } from '../health/metrics.service';

/** Runs every projection, and the event hash chain, in this process unless PROJECTOR=off. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectorService.name);
  readonly runner: ProjectionRunner;

  constructor(
    private readonly config: LedgerConfig,
    @Inject(PG_POOL) pool: Pool,
    metrics: Metrics,
  ) {
    // The hash chain rides along with the read models: same safe order, same batches.
    this.runner = new ProjectionRunner(pool, [...ALL_READ_MODELS.map(asProjection), eventChainProjection], {
      batchSize: config.projectorBatchSize,
      pollIntervalMs: config.projectorPollMs,
      logger: this.logger,
      onBatch: (batch) => metrics.observeProjectorBatch(batch),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.projector === 'on') await this.runner.start();
  }

  // Before the pool closes (TypeORM closes it in onApplicationShutdown).
  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }
}

/** The in-process hint after an append; the projector also hears NOTIFY and polls. */
@EventsHandler(EventsAppended)
export class WakeProjectorOnAppend implements IEventHandler<EventsAppended> {
  constructor(private readonly projector: ProjectorService) {}

  handle(): void {
    this.projector.runner.wake();
  }
}
