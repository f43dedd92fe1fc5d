import { randomBytes } from 'node:crypto';
import { Client, Pool, PoolClient } from 'pg';
import { ADMIN_URL_ENV, TEMPLATE_ENV, databaseUrl, quoteIdent } from './database-urls';

export interface TestDatabase {
  name: string;
  url: string;
  /** A pool for assertions straight against the tables. */
  pool: Pool;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: process.env[ADMIN_URL_ENV] });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh database of its own for one test file: cloned from the suite's migrated template, or
 * empty (for migration tests) with `{ migrated: false }`.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const name = `ledger_test_${randomBytes(6).toString('hex')}`;
  const template = migrated ? ` TEMPLATE ${quoteIdent(process.env[TEMPLATE_ENV]!)}` : '';
  await withAdmin(async (admin) => {
    // Two workers cloning the template at the same instant can collide; retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(name)}${template}`);
        return;
      } catch (error) {
        if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  });
  const url = databaseUrl(process.env[ADMIN_URL_ENV]!, name);
  const pool = new Pool({ connectionString: url, max: 4 });
  // pool.end() resolves before its clients' connections have closed: drop() waits for them, so
  // no socket of this file outlives it (a test worker must be able to exit at once). Should one
  // still be open, DROP ... WITH (FORCE) terminates it; that notice is expected then, never before.
  let dropping = false;
  pool.on('error', (error) => {
    if (!dropping) throw error;
  });
  const open = new Set<PoolClient>();
  pool.on('connect', (client) => {
    open.add(client);
    client.once('end', () => open.delete(client));
  });
  return {
    name,
    url,
    pool,
    async drop() {
      dropping = true;
      const closed = Promise.all([...open].map((client) => new Promise((done) => client.once('end', done))));
      await pool.end();
      await Promise.race([closed, new Promise((done) => setTimeout(done, 5000).unref())]);
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
  };
}
