/**
 * Generates N events into a fresh database and prints its URL, for profiling `ledger replay`.
 * BENCH_REPLAY_EVENTS=50000 BENCH_REPLAY_LOG=realistic node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/profile/generate-replay-log.ts
 * (BENCH_REPLAY_LOG: snapshot-only, the default, or realistic; see scenarios/replay.ts).
 */
import { startBenchPostgres } from '../support/postgres';
import { REPLAY_LOGS, ReplayLog } from '../scenarios/replay';

async function main() {
  const pg = await startBenchPostgres();
  const { url, pool } = await pg.createDatabase('profile');
  const name = (process.env.BENCH_REPLAY_LOG ?? 'snapshot-only') as ReplayLog;
  await REPLAY_LOGS[name](pool, url, Number(process.env.BENCH_REPLAY_EVENTS ?? 50_000), (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${url}\n`);
  // Keep the server up until interrupted, then stop it (it would outlive this process otherwise).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void pg.stop().finally(() => process.exit(0)));
  }
  await new Promise(() => undefined);
}
main();
