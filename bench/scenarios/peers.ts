import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { ensurePeersInstalled, PEERS_DIR } from '../peers/install';
import { measureMaxWebhooks } from '../support/max-webhooks';
import { BENCH_SECRET, nextWebhook } from '../support/payloads';
import { BenchPostgres } from '../support/postgres';
import { BenchService } from '../support/service';
import { withCpuPerRequest } from '../support/cpu';
import { load } from '../support/load';
import { ceiling } from './ingest';
import { CUSTOMERS, seed } from './queries';

/** One system under load: an HTTP endpoint, its process, and how to count what it stored for an event id. */
interface Member {
  name: string;
  target: string;
  pid: number;
  stored(eventId: string): Promise<number>;
  /** After its round: wait until it is idle again (the projector caught up), so the next round is not charged for it. */
  settle?(): Promise<void>;
  stop(): Promise<void>;
}

const count = async (pool: Pool, sql: string, value: string) => Number((await pool.query(sql, [value])).rows[0].n);

async function service(pg: BenchPostgres, name: string, env: Record<string, string>): Promise<Member> {
  const { url, pool } = await pg.createDatabase(name);
  const started = await BenchService.start({ DATABASE_URL: url, VOUCHERIFY_WEBHOOK_SECRETS: BENCH_SECRET, ...env });
  return {
    name,
    target: `${started.baseUrl}/webhooks/voucherify`,
    pid: started.pid,
    stored: (eventId) => count(pool, 'SELECT count(*) AS n FROM events WHERE event_id = $1', eventId),
    settle: env.PROJECTOR === 'off' ? undefined : () => waitProjected(pool),
    stop: () => started.stop(),
  };
}

/** Until every projection's checkpoint has passed the last event (at most 120 s). */
async function waitProjected(pool: Pool): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const behind = await pool.query(
      `SELECT coalesce(max((SELECT count(*) FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.position))), 0) AS n
       FROM projection_checkpoints c`,
    );
    if (Number(behind.rows[0].n) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the projector did not catch up within 120 s');
}

/** A server in a process of its own (started with fork, it sends its port when listening). */
async function forkServer(name: string, file: string, execArgv: string[], args: string[], env: Record<string, string>) {
  const child: ChildProcess = fork(file, args, { execArgv, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env } });
  const port = await new Promise<number>((done, fail) => {
    child.once('message', (m) => done(m as number));
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    },
  };
}

const startPeer = (name: string, server: string, url: string) =>
  forkServer(name, resolve(PEERS_DIR, server), ['-r', 'ts-node/register/transpile-only'], [], { DATABASE_URL: url, WEBHOOK_SECRET: BENCH_SECRET });

async function peer(pg: BenchPostgres, name: string, server: string, setup: string | undefined, countSql: string): Promise<Member> {
  const { url, pool } = await pg.createDatabase(name);
  if (setup) await pool.query(setup);
  const started = await startPeer(name, server, url);
  return {
    name,
    target: `${started.baseUrl}/webhooks/voucherify`,
    pid: started.pid,
    stored: (eventId) => count(pool, countSql, eventId),
    stop: started.stop,
  };
}

/**
 * Before any load: a signed webhook is stored once (2xx), the same again is answered 2xx and not
 * stored twice, a bad signature is refused (401) and stores nothing. A member that fails is not
 * measured: the run stops.
 */
async function checkFunctionally(member: Member): Promise<void> {
  const post = (body: string, signature: string) =>
    fetch(member.target, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-voucherify-signature': signature } });
  const webhook = nextWebhook();
  const first = await post(webhook.body, webhook.signature);
  const again = await post(webhook.body, webhook.signature);
  const forged = nextWebhook();
  const refused = await post(forged.body, forged.signature.replace(/^./, (c) => (c === '0' ? '1' : '0')));
  const problems = [
    first.status === 202 ? '' : `a new webhook got ${first.status}`,
    (await member.stored(webhook.eventId)) === 1 ? '' : 'a webhook was not stored exactly once',
    again.status === 200 ? '' : `a duplicate got ${again.status}`,
    refused.status === 401 ? '' : `a bad signature got ${refused.status}`,
    (await member.stored(forged.eventId)) === 0 ? '' : 'a webhook with a bad signature was stored',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${member.name} failed its functional check: ${problems.join('; ')}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * `BENCH_SCENARIOS=peers` (not in the default run): this service against what a NestJS user would
 * pick instead (Emmett 0.42 with plain Fastify; NestJS + TypeORM `save()` on Express), each
 * checked functionally first, then loaded in alternated rounds (A B C … A B C …) with the
 * one-row-per-transaction ceiling in the rotation too. The same PostgreSQL, a database each;
 * autocannon, 64 connections, unique signed 2.5–6 KB webhooks. Medians of the rounds and the
 * per-round ratios; CPU per webhook from /proc (the server's process, and all of PostgreSQL).
 */
export async function peersScenario(pg: BenchPostgres, seconds: number, rounds: number, log: (line: string) => void) {
  ensurePeersInstalled(log);
  return { ingest: await ingestPeers(pg, seconds, rounds, log), reads: await readPeers(pg, seconds, rounds, log) };
}

async function ingestPeers(pg: BenchPostgres, seconds: number, rounds: number, log: (line: string) => void) {
  const members: Member[] = [];
  try {
    members.push(await service(pg, 'service', { PROJECTOR: 'off', LOG_LEVEL: 'warn' }));
    members.push(await service(pg, 'service_projector_on', { LOG_LEVEL: 'warn' }));
    members.push(await service(pg, 'service_log_info', { PROJECTOR: 'off', LOG_LEVEL: 'info' }));
    members.push(await peer(pg, 'emmett', 'emmett-server.ts', undefined, `SELECT count(*) AS n FROM emt_messages WHERE stream_id = 'webhook-' || $1`));
    members.push(
      await peer(
        pg,
        'nest_typeorm',
        'nest-typeorm-server.ts',
        `CREATE TABLE peer_webhook_events (id bigserial PRIMARY KEY, event_id text NOT NULL, event_type text NOT NULL, payload jsonb NOT NULL,
                                           received_at timestamptz NOT NULL DEFAULT now());
         CREATE UNIQUE INDEX peer_webhook_events_event_id ON peer_webhook_events (event_id)`,
        'SELECT count(*) AS n FROM peer_webhook_events WHERE event_id = $1',
      ),
    );
    for (const member of members) await checkFunctionally(member);
    const { url: ceilingUrl } = await pg.createDatabase('peers_ceiling');

    const runs: Record<string, { webhooksPerSecond: number; serviceCpuUs: number; postgresCpuUs: number; non2xx: number }[]> = { ceiling: [] };
    for (const member of members) runs[member.name] = [];
    for (let round = 0; round < rounds; round++) {
      const c = await ceiling(ceilingUrl, seconds);
      runs.ceiling.push({ webhooksPerSecond: c.rowsPerSecond, serviceCpuUs: 0, postgresCpuUs: c.postgresCpuUsPerRow, non2xx: 0 });
      log(`  round ${round + 1}: ceiling ${Math.round(c.rowsPerSecond)} rows/s`);
      for (const member of members) {
        const run = await measureMaxWebhooks(member.target, member.pid, seconds);
        await member.settle?.();
        runs[member.name].push({
          webhooksPerSecond: run.requestsPerSecond,
          serviceCpuUs: run.serviceCpuUsPerRequest,
          postgresCpuUs: run.postgresCpuUsPerRequest,
          non2xx: run.non2xx + run.errors,
        });
        log(`  round ${round + 1}: ${member.name} ${Math.round(run.requestsPerSecond)} webhooks/s, ${run.serviceCpuUsPerRequest} + ${run.postgresCpuUsPerRequest} µs CPU per webhook`);
      }
    }

    const service0 = runs.service;
    const perRound = (name: string) => runs[name].map((r, i) => +(service0[i].webhooksPerSecond / r.webhooksPerSecond).toFixed(2));
    const toCeiling = (name: string) => runs[name].map((r, i) => +(r.webhooksPerSecond / runs.ceiling[i].webhooksPerSecond).toFixed(2));
    const summary = (name: string) => ({
      webhooks_per_second: Math.round(median(runs[name].map((r) => r.webhooksPerSecond))),
      process_cpu_us_per_webhook: median(runs[name].map((r) => r.serviceCpuUs)),
      postgres_cpu_us_per_webhook: median(runs[name].map((r) => r.postgresCpuUs)),
      cpu_us_per_webhook: median(runs[name].map((r) => r.serviceCpuUs + r.postgresCpuUs)),
      ratio_to_ceiling_per_round: toCeiling(name),
      ratio_to_ceiling: median(toCeiling(name)),
      service_ratio_per_round: perRound(name),
      service_ratio: median(perRound(name)),
      non2xx: runs[name].reduce((sum, r) => sum + r.non2xx, 0),
    });
    const logInfoCost = median(runs.service_log_info.map((r, i) => r.serviceCpuUs - service0[i].serviceCpuUs));
    return {
      rounds,
      seconds_per_round: seconds,
      ceiling_rows_per_second: Math.round(median(runs.ceiling.map((r) => r.webhooksPerSecond))),
      ceiling_postgres_cpu_us_per_row: median(runs.ceiling.map((r) => r.postgresCpuUs)),
      service: summary('service'),
      service_projector_on: summary('service_projector_on'),
      service_log_info: summary('service_log_info'),
      log_info_cost_us_per_webhook: logInfoCost,
      emmett: summary('emmett'),
      nest_typeorm: summary('nest_typeorm'),
    };
  } finally {
    for (const member of members) await member.stop();
  }
}

interface Reader {
  name: string;
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

const READ_PATHS = {
  customer: (n: number | string) => `/customers/cust_${n}`,
  points_history: (n: number | string) => `/customers/cust_${n}/points-history`,
};

/** The same answer from every reader, for the same customers (and 404 for one nobody knows): else the run stops. */
async function checkSameAnswers(readers: Reader[]): Promise<void> {
  const customers: (number | string)[] = [1, 2, 77, 4242, CUSTOMERS, 'unknown_x'];
  for (const [endpoint, path] of Object.entries(READ_PATHS)) {
    for (const n of customers) {
      const answers = await Promise.all(
        readers.map(async (r) => {
          const response = await fetch(`${r.baseUrl}${path(n)}`);
          const body = (await response.json()) as any;
          // A 404's wording is each framework's own; the status is the answer.
          return JSON.stringify(response.status === 200 ? [200, body] : [response.status]);
        }),
      );
      const differing = readers.filter((_, i) => answers[i] !== answers[0]);
      if (differing.length > 0) throw new Error(`${endpoint} of ${n}: ${differing.map((r) => r.name).join(', ')} answered differently from ${readers[0].name}`);
    }
  }
}

/**
 * Reads: the service, the floor (plain Fastify + pg with the service's own queries) and NestJS +
 * TypeORM (`findOne` with relations), over the queries scenario's 100,000 customers, checked to
 * give the same JSON, then loaded in alternated rounds (32 connections, random customers).
 */
async function readPeers(pg: BenchPostgres, seconds: number, rounds: number, log: (line: string) => void) {
  const { url, pool } = await pg.createDatabase('peers_reads');
  await seed(pool);
  const readers: Reader[] = [];
  try {
    const service = await BenchService.start({ DATABASE_URL: url, PROJECTOR: 'off', LOG_LEVEL: 'warn', VOUCHERIFY_WEBHOOK_SECRETS: BENCH_SECRET });
    readers.push({ name: 'service', baseUrl: service.baseUrl, pid: service.pid, stop: () => service.stop() });
    const floor = await forkServer('floor', resolve(__dirname, '../floor/read-floor-server.ts'), ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'], [url], {});
    readers.push({ name: 'floor', ...floor });
    readers.push({ name: 'nest_typeorm', ...(await startPeer('nest_typeorm', 'nest-typeorm-server.ts', url)) });
    await checkSameAnswers(readers);

    const results: Record<string, Record<string, { requestsPerSecond: number; p99Ms: number; cpuUs: number; postgresCpuUs: number; non2xx: number }[]>> = {};
    for (const endpoint of Object.keys(READ_PATHS) as (keyof typeof READ_PATHS)[]) {
      results[endpoint] = Object.fromEntries(readers.map((r) => [r.name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const reader of readers) {
          const random = () => 1 + Math.floor(Math.random() * CUSTOMERS);
          const run = await withCpuPerRequest(reader.pid, () =>
            load({ url: reader.baseUrl, connections: 32, durationSeconds: seconds, request: () => ({ path: READ_PATHS[endpoint](random()) }) }),
          );
          results[endpoint][reader.name].push({
            requestsPerSecond: run.requestsPerSecond,
            p99Ms: run.p99Ms,
            cpuUs: run.serviceCpuUsPerRequest,
            postgresCpuUs: run.postgresCpuUsPerRequest,
            non2xx: run.non2xx + run.errors,
          });
          log(`  round ${round + 1}: ${endpoint} ${reader.name} ${Math.round(run.requestsPerSecond)} req/s, ${run.serviceCpuUsPerRequest} + ${run.postgresCpuUsPerRequest} µs CPU per request`);
        }
      }
    }
    const summarise = (runs: Record<string, { requestsPerSecond: number; p99Ms: number; cpuUs: number; postgresCpuUs: number; non2xx: number }[]>) => {
      const service0 = runs.service;
      const ratios = (name: string) => runs[name].map((r, i) => +(service0[i].requestsPerSecond / r.requestsPerSecond).toFixed(2));
      return Object.fromEntries(
        readers.map((r) => [
          r.name,
          {
            requests_per_second: Math.round(median(runs[r.name].map((x) => x.requestsPerSecond))),
            p99_ms: median(runs[r.name].map((x) => x.p99Ms)),
            process_cpu_us_per_request: median(runs[r.name].map((x) => x.cpuUs)),
            postgres_cpu_us_per_request: median(runs[r.name].map((x) => x.postgresCpuUs)),
            service_ratio_per_round: ratios(r.name),
            service_ratio: median(ratios(r.name)),
            non2xx: runs[r.name].reduce((sum, x) => sum + x.non2xx, 0),
          },
        ]),
      );
    };
    return { rounds, seconds_per_round: seconds, customers: CUSTOMERS, customer: summarise(results.customer), points_history: summarise(results.points_history) };
  } finally {
    for (const reader of readers) await reader.stop();
  }
}
