/**
 * `npm run bench`: builds the service, starts PostgreSQL (embedded unless DATABASE_URL), runs each
 * scenario and writes bench/results/latest.json and latest.md. Every speed is reported next to a
 * ceiling measured in the same run on the same database. Never part of `npm test`.
 *
 * BENCH_SCENARIOS=ingest,lag,replay,queries,report,search (floor and peers on demand)  BENCH_SECONDS=15  BENCH_LAG_SECONDS=30
 * BENCH_REPLAY_EVENTS=1000000  BENCH_REPLAY_LOGS=snapshot-only,realistic  BENCH_PEER_ROUNDS=3
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { floorScenario } from './floor/floor';
import { ingestScenario } from './scenarios/ingest';
import { lagScenario } from './scenarios/lag';
import { peersScenario } from './scenarios/peers';
import { queriesScenario } from './scenarios/queries';
import { replayScenario } from './scenarios/replay';
import { reportScenario } from './scenarios/report';
import { searchScenario } from './scenarios/search';
import { startBenchPostgres } from './support/postgres';
import { renderMarkdown } from './support/report';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const scenarios = (process.env.BENCH_SCENARIOS ?? 'ingest,lag,replay,queries,report,search').split(',');
  const seconds = Number(process.env.BENCH_SECONDS ?? 15);
  const lagSeconds = Number(process.env.BENCH_LAG_SECONDS ?? 30);
  const replayEvents = Number(process.env.BENCH_REPLAY_EVENTS ?? 1_000_000);
  const peerRounds = Number(process.env.BENCH_PEER_ROUNDS ?? 3);

  log('building the service');
  execSync('npx nest build ledger', { stdio: 'inherit' });
  const pg = await startBenchPostgres();
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version },
    started_at: new Date().toISOString(),
  };
  try {
    for (const scenario of scenarios) {
      log(`scenario ${scenario}`);
      if (scenario === 'ingest') results.ingest = await ingestScenario(pg, seconds);
      else if (scenario === 'lag') {
        // At half the most the service takes with its projector on (measured first, BENCH_SECONDS).
        const lag = await lagScenario(pg, lagSeconds, seconds);
        // Projector on ÷ off: the ingest scenario measured the service with its projector off in this run.
        const off = (results.ingest as { max_webhooks_per_second?: number } | undefined)?.max_webhooks_per_second;
        const on = (lag as { projector_on_max_webhooks_per_second?: number }).projector_on_max_webhooks_per_second;
        results.lag = off && on ? { ...lag, projector_on_to_off: +(on / off).toFixed(2) } : lag;
      }
      else if (scenario === 'replay') results.replay = await replayScenario(pg, replayEvents, log);
      else if (scenario === 'queries') results.queries = await queriesScenario(pg, seconds);
      else if (scenario === 'report') results.report = await reportScenario(pg);
      else if (scenario === 'search') results.search = await searchScenario(pg);
      else if (scenario === 'floor') results.floor = await floorScenario(pg, seconds);
      else if (scenario === 'peers') results.peers = await peersScenario(pg, seconds, peerRounds, log);
      else throw new Error(`unknown scenario ${scenario}`);
      log(JSON.stringify(results[scenario]));
    }
  } finally {
    await pg.stop();
  }
  const dir = resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(resolve(dir, 'latest.md'), renderMarkdown(results));
  log(renderMarkdown(results));
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.exit(1);
});
