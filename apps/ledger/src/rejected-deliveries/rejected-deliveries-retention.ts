import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { Pool } from 'pg';
import { LedgerConfig } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/** Its name in Nest's SchedulerRegistry. */
export const RETENTION_INTERVAL = 'rejected-deliveries-retention';
/** Rows per DELETE: short transactions, so a backlog of refusals never holds locks for long. */
const CHUNK = 5000;

/**
 * Keeps refusals bounded, at start and every hour: rows of rejected_deliveries and counts of
 * rejected_delivery_counts older than REJECTED_DELIVERIES_RETENTION_DAYS are deleted, and so
 * are the oldest rows of rejected_deliveries past REJECTED_DELIVERIES_MAX_MB (also checked every
 * 1,000 rows recorded). Every instance runs it; SKIP LOCKED lets them share the work instead of
 * waiting on each other.
 */
@Injectable()
export class RejectedDeliveriesRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RejectedDeliveriesRetention.name);
  private running: Promise<number> | undefined;
  private stopping = false;

  constructor(
    private readonly config: LedgerConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  onApplicationBootstrap(): void {
    void this.pruneLogged();
  }

  /** A run in progress stops after its current chunk, before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  @Interval(RETENTION_INTERVAL, RETENTION_INTERVAL_MS)
  pruneLogged(): Promise<void> {
    return this.prune().then(
      (deleted) => {
        if (deleted > 0) this.logger.log({ deleted, retentionDays: this.config.rejectedDeliveriesRetentionDays }, 'old refused deliveries deleted');
      },
      (error: Error) => this.logger.warn({ err: error.message }, 'could not delete old refused deliveries; next try in an hour'),
    );
  }

  /**
   * Deletes what is past the retention; one run at a time per process (a caller during a run
   * gets that run's result). Returns the rows deleted.
   */
  prune(): Promise<number> {
    this.running ??= this.deleteExpired().finally(() => (this.running = undefined));
    return this.running;
  }

  private async deleteExpired(): Promise<number> {
    await this.pool.query(`DELETE FROM rejected_delivery_counts WHERE minute < now() - make_interval(days => $1)`, [
      this.config.rejectedDeliveriesRetentionDays,
    ]);
    return (await this.deleteByAge()) + (await this.deleteOverBudget());
  }

  private async deleteByAge(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const result = await this.pool.query(
        `DELETE FROM rejected_deliveries WHERE id IN (
           SELECT id FROM rejected_deliveries
           WHERE rejected_at < now() - make_interval(days => $1)
           ORDER BY rejected_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [this.config.rejectedDeliveriesRetentionDays, CHUNK],
      );
      deleted += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < CHUNK || this.stopping) return deleted;
    }
  }

  /** The oldest rows beyond the byte budget (each row's size as PostgreSQL stores it). */
  private async deleteOverBudget(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const result = await this.pool.query(
        `DELETE FROM rejected_deliveries WHERE id IN (
           SELECT id FROM (
             SELECT id, sum(pg_column_size(r.*)) OVER (ORDER BY id DESC) AS bytes_newer_or_same
             FROM rejected_deliveries r) sized
           WHERE bytes_newer_or_same > $1::bigint * 1048576
           ORDER BY id LIMIT $2)`,
        [this.config.rejectedDeliveriesMaxMb, CHUNK],
      );
      deleted += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < CHUNK || this.stopping) return deleted;
    }
  }
}
