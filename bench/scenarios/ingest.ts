import { Pool } from 'pg';
import { BenchPostgres } from '../support/postgres';
import { BENCH_SECRET, nextWebhook, webhookRequest } from '../support/payloads';
import { BenchService } from '../support/service';
import { measureMaxWebhooks } from '../support/max-webhooks';
import { pacedLoad } from '../support/paced-load';
import { percentileBucketMs, readIngestHistogram } from '../support/service-histogram';
import { postgresCpuByPid, postgresCpuSince } from '../support/cpu';

const CEILING_CONNECTIONS = 16;

/** The best a one-commit-per-webhook design can do: one INSERT per transaction, 16 connections, no HTTP. */
export async function ceiling(url: string, seconds: number): Promise<{ rowsPerSecond: number; postgresCpuUsPerRow: number; benchCpuUsPerRow: number }> {
  const pool = new Pool({ connectionString: url, max: CEILING_CONNECTIONS });
  await pool.query('CREATE TABLE IF NOT EXISTS ceiling_events (LIKE events INCLUDING ALL)');
  const postgres0 = postgresCpuByPid();
  const bench0 = process.cpuUsage();
  const deadline = Date.now() + seconds * 1000;
  let rows = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const webhook = nextWebhook();
      // A named statement, as the service uses: the best such a design can do.
      await pool.query({
        name: 'ceiling-insert',
        // The columns the service writes: the body once, as its bytes (migration 1764000033000).
        text: `INSERT INTO ceiling_events (event_id, delivery_id, event_type, project_id, raw_body, signature_status, envelope_format, request_headers)
         VALUES ($1, $2, $3, 'proj_bench', $4, 'verified', 'v2024-01-01', $5::jsonb)`,
        values: [webhook.eventId, `whs_${rows}`, webhook.type, Buffer.from(webhook.body), JSON.stringify({ 'content-type': 'application/json' })],
      });
      rows++;
    }
  };
  await Promise.all(Array.from({ length: CEILING_CONNECTIONS }, worker));
  const postgresCpuUsPerRow = Math.round((postgresCpuSince(postgres0) * 1000) / Math.max(1, rows));
  const bench = process.cpuUsage(bench0);
  await pool.end();
  return { rowsPerSecond: rows / seconds, postgresCpuUsPerRow, benchCpuUsPerRow: Math.round((bench.user + bench.system) / Math.max(1, rows)) };
}

export async function ingestScenario(pg: BenchPostgres, seconds: number) {
  const { url } = await pg.createDatabase('ingest');
  const ceilingRun = await ceiling(url, seconds);
  // Projector off: this measures ingestion alone, like the ceiling; the lag scenario runs both.
  const service = await BenchService.start({ DATABASE_URL: url, VOUCHERIFY_WEBHOOK_SECRETS: BENCH_SECRET, PROJECTOR: 'off' });
  try {
    const target = `${service.baseUrl}/webhooks/voucherify`;
    const max = await measureMaxWebhooks(target, service.pid, seconds);
    const rate = Math.max(1, Math.round(max.requestsPerSecond * 0.7));
    const histogramBefore = await readIngestHistogram(service.baseUrl);
    const at70 = await pacedLoad({ url: target, method: 'POST', connections: 64, durationSeconds: seconds, rate, request: webhookRequest });
    const histogramAfter = await readIngestHistogram(service.baseUrl);
    return {
      ceiling_rows_per_second: Math.round(ceilingRun.rowsPerSecond),
      max_webhooks_per_second: Math.round(max.requestsPerSecond),
      ratio_to_ceiling: +(max.requestsPerSecond / ceilingRun.rowsPerSecond).toFixed(2),
      max_non2xx: max.non2xx + max.errors,
      service_cpu_us_per_webhook: max.serviceCpuUsPerRequest,
      postgres_cpu_us_per_webhook: max.postgresCpuUsPerRequest,
      load_generator_cpu_us_per_webhook: max.generatorCpuUsPerRequest,
      ceiling_postgres_cpu_us_per_row: ceilingRun.postgresCpuUsPerRow,
      ceiling_generator_cpu_us_per_row: ceilingRun.benchCpuUsPerRow,
      offered_rate_70pct: rate,
      p50_ms_at_70pct: at70.p50Ms,
      p99_ms_at_70pct: at70.p99Ms,
      generator_send_lag_p99_ms_at_70pct: at70.sendLagP99Ms,
      // The service's own histogram: the bucket bounds holding its p50 and p99 over the same phase.
      service_p50_ms_at_most_at_70pct: percentileBucketMs(histogramBefore, histogramAfter, 50),
      service_p99_ms_at_most_at_70pct: percentileBucketMs(histogramBefore, histogramAfter, 99),
      non2xx_at_70pct: at70.non2xx + at70.errors,
    };
  } finally {
    await service.stop();
  }
}
