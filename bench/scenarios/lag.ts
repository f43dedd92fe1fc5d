import { BenchPostgres } from '../support/postgres';
import { BENCH_SECRET, webhookRequest } from '../support/payloads';
import { BenchService } from '../support/service';
import { percentile } from '../support/percentile';
import type { Pool } from 'pg';
import { withCpuPerRequest } from '../support/cpu';
import { measureMaxWebhooks } from '../support/max-webhooks';
import { pacedLoad } from '../support/paced-load';

/** Events the furthest-behind projection has still to apply. */
async function backlog(pool: Pool): Promise<number> {
  const { rows } = await pool.query(
    `SELECT max((SELECT count(*) FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.position))) AS behind
     FROM projection_checkpoints c`,
  );
  return Number(rows[0].behind);
}

/**
 * The service as users start it (projector on): first the most webhooks/s it takes (as the ingest
 * scenario measures it with the projector off), with the CPU per webhook of the service and
 * PostgreSQL until the projections have caught up with all of them (ingest and projections
 * together); then, at half that rate, a sustained load while a probe sends one more webhook every
 * 100 ms and asks for its customer with X-Min-Position: the time from the ingest answer to the read
 * answer is the lag. `maxSeconds` 0 skips the first part and paces at `rate`.
 */
export async function lagScenario(pg: BenchPostgres, seconds: number, maxSeconds: number, rate = 1000) {
  const { url, pool } = await pg.createDatabase('lag');
  const service = await BenchService.start({
    DATABASE_URL: url,
    VOUCHERIFY_WEBHOOK_SECRETS: BENCH_SECRET,
    MIN_POSITION_TIMEOUT_MS: '5000',
    PROJECTOR_POLL_MS: '1000',
  });
  try {
    let projectorOn: Record<string, number> = {};
    if (maxSeconds > 0) {
      const caughtUp = await withCpuPerRequest(service.pid, async () => {
        const max = await measureMaxWebhooks(`${service.baseUrl}/webhooks/voucherify`, service.pid, maxSeconds);
        const started = Date.now();
        while ((await backlog(pool)) > 0 && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 200));
        return { ...max, total: max.total, catchUpSeconds: (Date.now() - started) / 1000 };
      });
      rate = Math.max(1, Math.round(caughtUp.requestsPerSecond / 2));
      projectorOn = {
        projector_on_max_webhooks_per_second: Math.round(caughtUp.requestsPerSecond),
        projector_on_catch_up_seconds: +caughtUp.catchUpSeconds.toFixed(1),
        projector_on_service_cpu_us_per_webhook: caughtUp.serviceCpuUsPerRequest,
        projector_on_postgres_cpu_us_per_webhook: caughtUp.postgresCpuUsPerRequest,
      };
    }
    const lags: number[] = [];
    let probing = true;
    const probe = async () => {
      while (probing) {
        const answer = await fetch(`${service.baseUrl}/webhooks/voucherify`, { method: 'POST', ...webhookRequest() });
        const acknowledged = Date.now();
        const { position } = (await answer.json()) as { position: number };
        const read = await fetch(`${service.baseUrl}/customers/cust_b1`, { headers: { 'x-min-position': String(position) } });
        await read.arrayBuffer();
        if (read.status === 200 || read.status === 404) lags.push(Date.now() - acknowledged);
        else lags.push(Number.POSITIVE_INFINITY);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const probes = probe();
    const traffic = await pacedLoad({
      url: `${service.baseUrl}/webhooks/voucherify`,
      method: 'POST',
      connections: 32,
      durationSeconds: seconds,
      rate,
      request: webhookRequest,
    });
    probing = false;
    await probes;
    const batches = projectorBatches(await (await fetch(`${service.baseUrl}/metrics`)).text());
    const behindAtEnd = await backlog(pool);
    await new Promise((r) => setTimeout(r, 3000));
    const behindLater = await backlog(pool);
    lags.sort((a, b) => a - b);
    return {
      ...projectorOn,
      offered_webhooks_per_second: rate,
      achieved_webhooks_per_second: Math.round(traffic.requestsPerSecond),
      non2xx: traffic.non2xx + traffic.errors,
      probes: lags.length,
      lag_p50_ms: percentile(lags, 50),
      lag_p99_ms: percentile(lags, 99),
      backlog_at_end: behindAtEnd,
      backlog_3s_later: behindLater,
      ...batches,
    };
  } finally {
    await service.stop();
  }
}

/** From the service's own histograms: how big the live batches were, and each projection's time on one. */
function projectorBatches(metrics: string) {
  const value = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? NaN);
  const batches = value(/^ledger_projector_batch_events_count (\S+)$/m);
  const perProjection: Record<string, number> = {};
  for (const [, projection, sum] of metrics.matchAll(/^ledger_projection_batch_duration_seconds_sum\{projection="([^"]+)"\} (\S+)$/gm)) {
    const count = value(new RegExp(`^ledger_projection_batch_duration_seconds_count\\{projection="${projection}"\\} (\\S+)$`, 'm'));
    perProjection[projection] = +((Number(sum) * 1000) / count).toFixed(1);
  }
  return {
    projector_batches: batches,
    projector_mean_batch_events: +(value(/^ledger_projector_batch_events_sum (\S+)$/m) / batches).toFixed(1),
    projection_mean_batch_ms: perProjection,
  };
}
