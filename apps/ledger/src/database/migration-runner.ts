import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '@ledger/migrations';
import { LedgerConfig } from '../config/ledger-config';
import { secureServiceRole } from './service-role-grants';

/** Arbitrary, fixed key: every instance of the service contends for the same lock. */
const MIGRATION_LOCK_KEY = 7_346_001;

/** Migrates at start (onModuleInit runs before any onApplicationBootstrap, e.g. the projector's). */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: LedgerConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.migrate();
  }

  /**
   * Applies pending migrations under a session advisory lock, so instances starting together
   * do not race: the second waits, then finds nothing to do. With DATABASE_MIGRATION_URL they run
   * as that role (the owner), on a connection of their own, and the service's role gets exactly
   * its rights (service-role-grants.ts).
   */
  async migrate(): Promise<string[]> {
    if (!this.config.databaseMigrationUrl || this.config.databaseMigrationUrl === this.config.databaseUrl) {
      this.logger.warn(
        'DATABASE_MIGRATION_URL is not set: the service migrates and runs as the owner of the events table, which can switch its append-only trigger off; give migrations a role of their own (docs/security.md)',
      );
      return runMigrationsLocked(this.dataSource, this.logger, { erasableFields: this.config.eraseExtraFields });
    }
    return migrateAsOwner(this.config.databaseMigrationUrl, this.dataSource, this.logger, this.config.eraseExtraFields);
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

/** Migrates through a short-lived connection as the owner, then secures the role `service` is connected as. */
export async function migrateAsOwner(migrationUrl: string, service: DataSource, logger?: Logger, erasableFields: string[] = []): Promise<string[]> {
  const [{ role }] = await service.query('SELECT current_user AS role');
  const owner = new DataSource({
    type: 'postgres',
    url: migrationUrl,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    extra: { max: 2, application_name: 'loyalty-ledger-migrations' },
  });
  await owner.initialize();
  try {
    return await runMigrationsLocked(owner, logger, { serviceRole: role, erasableFields });
  } finally {
    await owner.destroy();
  }
}

export async function runMigrationsLocked(
  dataSource: DataSource,
  logger?: Logger,
  options: { serviceRole?: string; erasableFields?: string[] } = {},
): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger?.log(`applied migration ${migration.name}`);
    // The shop's own personal fields (ERASE_EXTRA_FIELDS), which only the owner may add to what ledger_erase removes.
    if (options.erasableFields?.length) {
      await lockRunner.query(`INSERT INTO erasable_fields (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [options.erasableFields]);
    }
    if (options.serviceRole) {
      // Under the same lock, so instances starting together do not hand tables over twice.
      for (const warning of await secureServiceRole(lockRunner, options.serviceRole)) logger?.warn(warning);
    }
    return applied.map((m) => m.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
