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

  async reachable() {
    const indicator = this.health.check('database');
    try {
      await withDeadline(this.pool.query('SELECT 1'), CHECK_DEADLINE_MS);
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
