// Global setup runs outside Jest's module mapper, so resolve the @ledger/* aliases here.
import 'tsconfig-paths/register';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../../apps/ledger/src/database/embedded-postgres';
import { runMigrationsLocked } from '../../apps/ledger/src/database/migration-runner';
import { ALL_MIGRATIONS } from '../../migrations';
import { TEMPLATE_ENV, ADMIN_URL_ENV, databaseUrl, quoteIdent } from './database-urls';

/**
 * Starts the suite's PostgreSQL (embedded in a temporary folder unless DATABASE_URL is set)
 * and builds one migrated template database; each test file clones it (test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const parent = mkdtempSync(join(tmpdir(), 'ledger-test-pg-'));
    chmodSync(parent, 0o755); // PostgreSQL runs as the postgres user when we are root
    const dataDir = join(parent, 'data');
    const server = await startEmbeddedPostgres({ dataDir });
    (globalThis as any).__LEDGER_TEST_PG__ = { server, dataDir };
    adminUrl = server.adminUrl;
  }
  const template = `ledger_test_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)}`);
    await admin.query(`CREATE DATABASE ${quoteIdent(template)}`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url: databaseUrl(adminUrl, template),
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
  });
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env[ADMIN_URL_ENV] = adminUrl;
  process.env[TEMPLATE_ENV] = template;
}
