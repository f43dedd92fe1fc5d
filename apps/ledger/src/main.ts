import 'reflect-metadata';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config/ledger-config';
import { createApp } from './create-app';
import { EmbeddedPostgresServer, startEmbeddedPostgres } from './database/embedded-postgres';
import { setUpEmbeddedRoles } from './database/roles';
import { describeDatabaseFailure, probeDatabase } from './startup/database-probe';
import { openAccessWarning } from './startup/open-access-warning';
import { StartupError } from './startup/startup-error';

const SHUTDOWN_DEADLINE_MS = 15_000;

async function main(): Promise<void> {
  const config = loadConfig();

  let embedded: EmbeddedPostgresServer | undefined;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: config.embeddedPostgresDir, port: config.embeddedPostgresPort });
    ({ serviceUrl: config.databaseUrl, migrationUrl: config.databaseMigrationUrl } = await setUpEmbeddedRoles(embedded.url));
    const where = resolve(config.embeddedPostgresDir) === embedded.dataDir ? '' : ` (a link to ${embedded.dataDir}, which the postgres user can reach)`;
    console.log(JSON.stringify({ level: 'info', msg: `embedded PostgreSQL on port ${embedded.port}, data in ${config.embeddedPostgresDir}${where}` }));
  }

  const databaseHint = embedded ? `the embedded PostgreSQL in ${config.embeddedPostgresDir} stopped answering` : 'check DATABASE_URL';
  await probeDatabase(config.databaseUrl, { hint: databaseHint, connectTimeoutMs: config.databaseConnectTimeoutMs });

  let app;
  try {
    app = await createApp(config);
  } catch (error) {
    // Lost between the probe and now, or refused by a migration: still one line, not Nest's trace.
    if (isDatabaseError(error)) throw new StartupError(describeDatabaseFailure(config.databaseUrl, error, databaseHint));
    throw error;
  }
  await app.listen(config.port, '0.0.0.0');
  const warning = openAccessWarning(config);
  if (warning && !['fatal', 'error', 'silent'].includes(config.logLevel)) {
    console.log(JSON.stringify({ level: 'warn', msg: warning }));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: 'info', msg: `${signal}: draining requests and stopping` }));
    const forced = setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS);
    forced.unref();
    try {
      await app.close(); // stops accepting, lets in-flight requests finish, closes the pool
    } finally {
      await embedded?.stop();
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** A connection failure (Node's E… codes) or an error PostgreSQL sent (five-character SQLSTATE). */
function isDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (/^E[A-Z_]+$/.test(code) || /^[0-9A-Z]{5}$/.test(code));
}

main().catch((error) => {
  // Reasons an operator can fix get one line; anything else is a bug and keeps its stack.
  if (error instanceof ConfigError || error instanceof StartupError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
