import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { FIXTURE_TYPES, FIXTURES_DIR } from '../support/payloads';
import { BenchPostgres } from '../support/postgres';
import { postgresCpuByPid, postgresCpuSince, processCpuMs } from '../support/cpu';
import { generateRealisticLog } from './realistic-log';

const CLI = resolve(__dirname, '../../dist/apps/ledger/apps/ledger/src/cli/main.js');
const CHUNK = 50_000;
const CUSTOMERS = 100_000;

/** N events built from the fixtures (new ids, times and balances), written straight into the log. */
export async function generateEvents(pool: Pool, events: number, log: (line: string) => void): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('CREATE TEMP TABLE tpl (n int, type text, data jsonb)');
    for (const [n, type] of FIXTURE_TYPES.entries()) {
      await client.query('INSERT INTO tpl VALUES ($1, $2, $3::jsonb)', [n, type, readFileSync(resolve(FIXTURES_DIR, `${type}.data.json`), 'utf8')]);
    }
    for (let from = 1; from <= events; from += CHUNK) {
      const to = Math.min(events, from + CHUNK - 1);
      await client.query(
        `INSERT INTO events (event_id, delivery_id, event_type, project_id, customer_id, occurred_at, occurred_at_raw, raw_body, signature_status, envelope_format)
         SELECT 'evr_' || i, 'whs_' || i, t.type, 'proj_bench', 'cust_' || c, ts, ts::text, convert_to(p::text, 'UTF8'), 'verified', 'v2024-01-01'
         FROM generate_series($1::int, $2::int) i
         CROSS JOIN LATERAL (SELECT i % ${CUSTOMERS} AS c, timestamptz '2024-01-01' + i * interval '1 second' AS ts) k
         JOIN tpl t ON t.n = i % 5
         CROSS JOIN LATERAL (SELECT jsonb_build_object(
             'id', 'whs_' || i, 'project_id', 'proj_bench', 'created_at', ts, 'type', t.type,
             'data', jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set(t.data,
                       '{customer,id}', to_jsonb('cust_' || c)),
                       '{holder,id}', to_jsonb('cust_' || c)),
                       '{voucher,id}', to_jsonb('v_' || c)),
                       '{voucher,holder_id}', to_jsonb('cust_' || c)),
                       '{voucher,updated_at}', to_jsonb(ts)),
                       '{voucher,loyalty_card}', jsonb_build_object('points', i, 'balance', i / 2)),
                       '{reward_redemption,id}', to_jsonb('rewr_' || i)),
             'event', jsonb_build_object('id', 'evr_' || i, 'type', t.type, 'created_at', ts)) AS p) q`,
        [from, to],
      );
      log(`  generated ${to}/${events} events`);
    }
  } finally {
    client.release();
  }
  await pool.query('ANALYZE events');
}

/**
 * What reading the log costs with nothing else: a keyset scan through pg with JSON parsing of the
 * bytes received, decoded by PostgreSQL (`convert_from`), the cheapest of the honest scans
 * measured (payload as jsonb, payload::text, raw_body as bytea decoded by Node: history.md).
 * The projector reads the same bytes the same way, so the ratio is against the best read.
 */
async function keysetScan(pool: Pool): Promise<{ seconds: number; events: number }> {
  const started = Date.now();
  let after = 0;
  let events = 0;
  for (;;) {
    const page = await pool.query<{ global_position: string; raw_text: string }>(
      `SELECT global_position, convert_from(raw_body, 'UTF8') AS raw_text FROM events WHERE global_position > $1 ORDER BY global_position LIMIT 1000`,
      [after],
    );
    for (const row of page.rows) JSON.parse(row.raw_text);
    events += page.rows.length;
    if (page.rows.length < 1000) break;
    after = Number(page.rows[page.rows.length - 1].global_position);
  }
  return { seconds: (Date.now() - started) / 1000, events };
}

/** Runs `ledger replay --all` (the built CLI) and samples its resident memory. */
async function replayAll(url: string): Promise<{ seconds: number; peakRssMb: number; exitCode: number | null; cpuMs: number; postgresCpuMs: number }> {
  const started = Date.now();
  const postgres0 = postgresCpuByPid();
  const postgresSeen = new Map<string, number>(); // last reading of each backend, even one that exits before the end
  const child = spawn(process.execPath, [CLI, 'replay', '--all'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peakKb = 0;
  let cpuMs = 0;
  const sampler = setInterval(() => {
    cpuMs = Math.max(cpuMs, processCpuMs(child.pid!)); // the last reading before it exits
    for (const [pid, ms] of postgresCpuByPid()) postgresSeen.set(pid, ms);
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (rss) peakKb = Math.max(peakKb, Number(rss[1]));
    } catch {
      // exited
    }
  }, 100);
  const exitCode = await new Promise<number | null>((done) => child.on('exit', done));
  clearInterval(sampler);
  return { seconds: (Date.now() - started) / 1000, peakRssMb: Math.round(peakKb / 1024), exitCode, cpuMs, postgresCpuMs: postgresCpuSince(postgres0, postgresSeen) };
}

/** The logs the replay scenario rebuilds (BENCH_REPLAY_LOGS): today's worst case, and Voucherify's traffic. */
export const REPLAY_LOGS = {
  /** Fixture snapshots, each of 100,000 customers recurring only every 100,000 events: nothing for a rebuild to fold. */
  'snapshot-only': (pool: Pool, _url: string, events: number, log: (line: string) => void) => generateEvents(pool, events, log),
  /** Twins, rewards, expiries, card by card (realistic-log.ts). */
  realistic: generateRealisticLog,
};

export type ReplayLog = keyof typeof REPLAY_LOGS;

/** One log's rebuild against its own raw scan, in one database. */
async function replayOneLog(pg: BenchPostgres, name: ReplayLog, events: number, log: (line: string) => void) {
  const { url, pool } = await pg.createDatabase(`replay_${name.replace('-', '_')}`);
  await REPLAY_LOGS[name](pool, url, events, log);
  const bodies = await pool.query<{ n: string; avg: string }>('SELECT count(*) AS n, avg(octet_length(raw_body))::int AS avg FROM events');
  const scan = await keysetScan(pool);
  const replay = await replayAll(url);
  if (replay.exitCode !== 0) throw new Error(`replay exited with ${replay.exitCode}`);
  const stored = Number(bodies.rows[0].n);
  const ceiling = scan.events / scan.seconds;
  const rate = stored / replay.seconds;
  return {
    log: name,
    events: stored,
    average_body_bytes: Number(bodies.rows[0].avg),
    ceiling_keyset_scan_events_per_second: Math.round(ceiling),
    replay_all_events_per_second: Math.round(rate),
    ratio_to_ceiling: +(rate / ceiling).toFixed(2),
    replay_seconds: +replay.seconds.toFixed(1),
    peak_rss_mb: replay.peakRssMb,
    replay_cpu_us_per_event: Math.round((replay.cpuMs * 1000) / stored),
    postgres_cpu_us_per_event: Math.round((replay.postgresCpuMs * 1000) / stored),
  };
}

/** Each log of BENCH_REPLAY_LOGS (default both), in turn. */
export async function replayScenario(pg: BenchPostgres, events: number, log: (line: string) => void) {
  const names = (process.env.BENCH_REPLAY_LOGS ?? 'snapshot-only,realistic').split(',') as ReplayLog[];
  const unknown = names.filter((n) => !(n in REPLAY_LOGS));
  if (unknown.length > 0) throw new Error(`unknown replay log ${unknown.join(', ')}; known: ${Object.keys(REPLAY_LOGS).join(', ')}`);
  const results = [];
  for (const name of names) {
    log(`replay log ${name}`);
    results.push(await replayOneLog(pg, name, events, log));
  }
  return results;
}
