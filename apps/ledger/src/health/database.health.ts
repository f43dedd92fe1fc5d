import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import { withDeadline } from '@ledger/event-store';
import { MigrationRunner } from '../database/migration-runner';

const CHECK_DEADLINE_MS = 2000;

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly migrations: MigrationRunner,
  ) {}

  /**
   * Reachable and writable: a standby (after a failover, or a primary turned read-only) answers
   * queries but refuses every append, so this instance cannot take webhooks and is not ready.
   */
  async reachable() {
    const indicator = this.health.check('database');
    try {
      const { rows } = await withDeadline(
        this.pool.query<{ read_only: boolean }>(
          `SELECT pg_is_in_recovery() OR current_setting('transaction_read_only')::boolean AS read_only`,
        ),
        CHECK_DEADLINE_MS,
      );
      if (rows[0].read_only) return indicator.down({ message: 'the database is read-only (a standby, or default_transaction_read_only is on)' });
      return indicator.up({ pool_total: this.pool.totalCount, pool_idle: this.pool.idleCount, pool_waiting: this.pool.waitingCount });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  async migrated() {
    const indicator = this.health.check('migrations');
    try {
      const pending = await withDeadline(this.migrations.pending(), CHECK_DEADLINE_MS);
      return pending.length === 0 ? indicator.up() : indicator.down({ pending });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
