import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/ledger-config';
import { createApp } from './create-app';
import { EmbeddedPostgresServer, startEmbeddedPostgres } from './database/embedded-postgres';
import { setUpEmbeddedRoles } from './database/roles';

const SHUTDOWN_DEADLINE_MS = 15_000;

async function main(): Promise<void> {
  const config = loadConfig();

  let embedded: EmbeddedPostgresServer | undefined;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: config.embeddedPostgresDir, port: config.embeddedPostgresPort });
    ({ serviceUrl: config.databaseUrl, migrationUrl: config.databaseMigrationUrl } = await setUpEmbeddedRoles(embedded.url));
    console.log(JSON.stringify({ level: 'info', msg: `embedded PostgreSQL on port ${embedded.port}, data in ${config.embeddedPostgresDir}` }));
  }

  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');

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

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
