/**
 * Runs an embedded PostgreSQL in its own process, so a test can stop and restart a real server
 * without touching the suite's shared one. Usage: run-embedded-postgres <dataDir> <port>.
 * Prints "READY <url>" when it accepts connections; stops cleanly on SIGTERM.
 */
import { startEmbeddedPostgres } from '../../apps/ledger/src/database/embedded-postgres';

async function run(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dataDir, port: Number(port) });
  process.stdout.write(`READY ${server.url}\n`);
  process.on('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
}

run().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
