import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { ensurePeersInstalled, PEERS_DIR } from '../peers/install';
import { measureMaxWebhooks } from '../support/max-webhooks';
import { BENCH_SECRET, nextWebhook } from '../support/payloads';
import { BenchPostgres } from '../support/postgres';
import { BenchService } from '../support/service';
import { ceiling } from './ingest';

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

async function peer(pg: BenchPostgres, name: string, server: string, setup: string | undefined, countSql: string): Promise<Member> {
  const { url, pool } = await pg.createDatabase(name);
  if (setup) await pool.query(setup);
  const child: ChildProcess = fork(resolve(PEERS_DIR, server), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: url, WEBHOOK_SECRET: BENCH_SECRET },
  });
  const port = await new Promise<number>((done, fail) => {
    child.once('message', (m) => done(m as number));
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}`)));
  });
  return {
    name,
    target: `http://127.0.0.1:${port}/webhooks/voucherify`,
    pid: child.pid!,
    stored: (eventId) => count(pool, countSql, eventId),
    stop: async () => {
      if (child.exitCode !== null) return;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    },
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
