import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ALL_MIGRATIONS } from '@ledger/migrations';
import type { LedgerConfig } from '../config/ledger-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { migrateAsOwner, runMigrationsLocked } from '../database/migration-runner';
import { setUpEmbeddedRoles } from '../database/roles';

export interface CliDatabase {
  pool: Pool;
  close(): Promise<void>;
}

/** The embedded server `npm start` runs, if it is running: its port is in postmaster.pid. */
function runningEmbeddedUrl(dataDir: string): string | undefined {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  return `postgres://postgres:postgres@127.0.0.1:${port.trim()}/ledger`;
}

/**
 * The same database the service uses, as the same role: DATABASE_URL (migrated as
 * DATABASE_MIGRATION_URL when set), else the embedded server (attached to when the service runs it,
 * started for the command otherwise) with its two roles. The schema is migrated first.
 */
export async function openCliDatabase(config: LedgerConfig, poolSize = 8): Promise<CliDatabase> {
  let url = config.databaseUrl;
  let migrationUrl = config.databaseMigrationUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    let superuserUrl = runningEmbeddedUrl(config.embeddedPostgresDir);
    if (!superuserUrl) {
      const server = await startEmbeddedPostgres({ dataDir: config.embeddedPostgresDir, port: config.embeddedPostgresPort });
      superuserUrl = server.url;
      stopEmbedded = () => server.stop();
    }
    ({ serviceUrl: url, migrationUrl } = await setUpEmbeddedRoles(superuserUrl));
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    extra: { max: poolSize, application_name: 'loyalty-ledger-cli' },
  });
  await dataSource.initialize();
  if (migrationUrl && migrationUrl !== url) await migrateAsOwner(migrationUrl, dataSource, undefined, config.eraseExtraFields);
  else await runMigrationsLocked(dataSource, undefined, { erasableFields: config.eraseExtraFields });
  return {
    pool: (dataSource.driver as PostgresDriver).master as Pool,
    async close() {
      await dataSource.destroy();
      await stopEmbedded?.();
    },
  };
}
