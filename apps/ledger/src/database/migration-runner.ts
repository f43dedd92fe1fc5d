import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '@ledger/migrations';

/** Arbitrary, fixed key: every instance of the service contends for the same lock. */
const MIGRATION_LOCK_KEY = 7_346_001;

/** Migrates at start (onModuleInit runs before any onApplicationBootstrap, e.g. the projector's). */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.migrate();
  }

  /**
   * Applies pending migrations under a session advisory lock, so instances starting together
   * do not race: the second waits, then finds nothing to do.
   */
  async migrate(): Promise<string[]> {
    return runMigrationsLocked(this.dataSource, this.logger);
  }

  /** Names of known migrations not yet applied (empty when the schema is current). */
  async pending(): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT name FROM ${this.dataSource.options.migrationsTableName ?? 'migrations'}`,
    );
    const applied = new Set(rows.map((r) => r.name));
    return ALL_MIGRATIONS.map((m) => m.name).filter((name) => !applied.has(name));
  }
}

export async function runMigrationsLocked(dataSource: DataSource, logger?: Logger): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger?.log(`applied migration ${migration.name}`);
    return applied.map((m) => m.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
