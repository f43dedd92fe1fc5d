import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { eventChainProjection, ProjectionRunner } from '@ledger/event-store';
import { ALL_READ_MODELS, asProjection } from '@ledger/projections';
import { LedgerConfig } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';
import { Metrics } from '../health/metrics.service';

/**
 * Runs every projection, and the event hash chain, in this process unless PROJECTOR=off. It wakes
 * one way: the NOTIFY every append sends (heard by this process's lock session, whichever process
 * appended); the poll is only the fallback for a notification lost. An in-process EventBus hint
 * was removed: it measured no gain over NOTIFY.
 */
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
