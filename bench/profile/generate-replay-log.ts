/**
 * Generates N events into a fresh database and prints its URL, for profiling `ledger replay`.
 * BENCH_REPLAY_EVENTS=50000 node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/profile/generate-replay-log.ts
 */
import { startBenchPostgres } from '../support/postgres';
import { generateEvents } from '../scenarios/replay';

async function main() {
  const pg = await startBenchPostgres();
  const { url, pool } = await pg.createDatabase('profile');
  await generateEvents(pool, Number(process.env.BENCH_REPLAY_EVENTS ?? 50_000), (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${url}\n`);
  // Keep the server up until interrupted, then stop it (it would outlive this process otherwise).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void pg.stop().finally(() => process.exit(0)));
  }
  await new Promise(() => undefined);
}
main();
