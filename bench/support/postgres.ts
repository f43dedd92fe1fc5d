import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../../apps/ledger/src/database/embedded-postgres';
import { runMigrationsLocked } from '../../apps/ledger/src/database/migration-runner';
import { ALL_MIGRATIONS } from '../../migrations';
import { countOnlyPostgresOf } from './cpu';

export interface BenchPostgres {
  adminUrl: string;
  /** A fresh, migrated database; dropped by stop(). */
  createDatabase(name: string): Promise<{ url: string; pool: Pool }>;
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The benchmark's PostgreSQL: embedded in a temporary folder, or DATABASE_URL's server. */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined as void;
  if (!adminUrl) {
    const parent = mkdtempSync(join(tmpdir(), 'ledger-bench-pg-'));
    chmodSync(parent, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: join(parent, 'data') });
    adminUrl = server.adminUrl;
    stopServer = async () => {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    };
  }
  {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    countOnlyPostgresOf((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    await client.end();
  }
  const created: string[] = [];
  const pools: Pool[] = [];
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    adminUrl,
    async createDatabase(name) {
      const database = `ledger_bench_${name}_${process.pid}`;
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${database}`);
      created.push(database);
      const url = withDatabase(adminUrl!, database);
      const dataSource = new DataSource({ type: 'postgres', url, migrations: ALL_MIGRATIONS, migrationsTableName: 'typeorm_migrations' });
      await dataSource.initialize();
      await runMigrationsLocked(dataSource);
      await dataSource.destroy();
      const pool = new Pool({ connectionString: url, max: 20 });
      pools.push(pool);
      return { url, pool };
    },
    async stop() {
      await Promise.all(pools.map((p) => p.end()));
      for (const database of created) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await stopServer();
    },
  };
}
