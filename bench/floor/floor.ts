import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { BenchPostgres } from '../support/postgres';
import { measureMaxWebhooks } from '../support/max-webhooks';
import type { FloorMode } from './floor-server';

const SERVER = resolve(__dirname, 'floor-server.ts');

/** CPU per webhook of the leanest endpoint (floor-server.ts), under the ingest scenario's load. */
async function measure(pg: BenchPostgres, mode: FloorMode, seconds: number) {
  const { url } = await pg.createDatabase(`floor_${mode}`);
  const child = fork(SERVER, [mode, url], { execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] });
  try {
    const port = await new Promise<number>((done, fail) => {
      child.once('message', (m) => done(m as number));
      child.once('exit', (code) => fail(new Error(`floor server exited with ${code}`)));
    });
    const target = `http://127.0.0.1:${port}/webhooks/voucherify`;
    const run = await measureMaxWebhooks(target, child.pid!, seconds);
    return {
      webhooks_per_second: Math.round(run.requestsPerSecond),
      non2xx: run.non2xx + run.errors,
      service_cpu_us_per_webhook: run.serviceCpuUsPerRequest,
      postgres_cpu_us_per_webhook: run.postgresCpuUsPerRequest,
      load_generator_cpu_us_per_webhook: run.generatorCpuUsPerRequest,
    };
  } finally {
    child.kill();
  }
}

/**
 * `BENCH_SCENARIOS=floor` (not in the default run): what any HTTP endpoint costs on this machine,
 * to read the ingest ratio against. `empty` is HTTP alone; `append` adds the signature check,
 * the envelope parse and the group-commit append, and nothing of Nest, logging or metrics.
 */
export async function floorScenario(pg: BenchPostgres, seconds: number) {
  return { empty: await measure(pg, 'empty', seconds), append: await measure(pg, 'append', seconds) };
}
