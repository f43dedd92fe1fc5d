import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { ADMIN_URL_ENV, TEMPLATE_ENV, quoteIdent } from './database-urls';

export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: process.env[ADMIN_URL_ENV] });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(process.env[TEMPLATE_ENV]!)}`);
  } finally {
    await admin.end();
  }
  const embedded = (globalThis as any).__LEDGER_TEST_PG__;
  if (embedded) {
    await embedded.server.stop();
    rmSync(dirname(embedded.dataDir), { recursive: true, force: true });
  }
}
