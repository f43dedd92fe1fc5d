/** bench/results/latest.md: one table, each figure beside its ceiling and the target. */
export function renderMarkdown(results: Record<string, any>): string {
  const rows: string[][] = [];
  const { ingest, lag, replay, queries, floor, report, peers } = results;
  if (ingest) {
    rows.push(['Ingest throughput', `${ingest.max_webhooks_per_second} webhooks/s`, `${ingest.ceiling_rows_per_second} rows/s (pg, 1 row/tx, 16 conns; CPU per row: PostgreSQL ${ingest.ceiling_postgres_cpu_us_per_row} µs, generator and pg client ${ingest.ceiling_generator_cpu_us_per_row} µs); CPU per webhook: service ${ingest.service_cpu_us_per_webhook} µs, PostgreSQL ${ingest.postgres_cpu_us_per_webhook} µs, generator and HTTP client ${ingest.load_generator_cpu_us_per_webhook} µs`, `${ingest.ratio_to_ceiling}×`, '≥ 1.0×']);
    rows.push(['Ingest p50 / p99 at 70% load', `${ingest.p50_ms_at_70pct} / ${ingest.p99_ms_at_70pct} ms`, `${ingest.offered_rate_70pct} webhooks/s offered, evenly paced; the generator's own send lag p99 ${ingest.generator_send_lag_p99_ms_at_70pct} ms; the service's own histogram: p50 ≤ ${ingest.service_p50_ms_at_most_at_70pct} ms, p99 ≤ ${ingest.service_p99_ms_at_most_at_70pct} ms`, '', 'p99 ≤ 50 ms']);
  }
  if (floor) {
    const cpu = (f: any) => `CPU per webhook: endpoint ${f.service_cpu_us_per_webhook} µs, PostgreSQL ${f.postgres_cpu_us_per_webhook} µs, generator and HTTP client ${f.load_generator_cpu_us_per_webhook} µs`;
    const ratio = (f: any) => (ingest ? `${(f.webhooks_per_second / ingest.ceiling_rows_per_second).toFixed(2)}×` : '');
    rows.push(['Floor: bare Fastify, answers at once', `${floor.empty.webhooks_per_second} req/s`, cpu(floor.empty), ratio(floor.empty), '(reference)']);
    rows.push(['Floor: bare Fastify + signature check, envelope parse, group commit', `${floor.append.webhooks_per_second} webhooks/s`, cpu(floor.append), ratio(floor.append), '(reference)']);
  }
  if (lag) {
    if (lag.projector_on_max_webhooks_per_second !== undefined) {
      rows.push([
        'Ingest with the projector on (the default)',
        `${lag.projector_on_max_webhooks_per_second} webhooks/s`,
        `caught up ${lag.projector_on_catch_up_seconds} s after; CPU per webhook until then: service ${lag.projector_on_service_cpu_us_per_webhook} µs, PostgreSQL ${lag.projector_on_postgres_cpu_us_per_webhook} µs`,
        lag.projector_on_to_off !== undefined ? `${lag.projector_on_to_off}× projector off` : '',
        '≥ 0.85× projector off',
      ]);
    }
    rows.push(['Projection lag p50 / p99 at half the projector-on maximum', `${lag.lag_p50_ms} / ${lag.lag_p99_ms} ms`, `${lag.achieved_webhooks_per_second} of ${lag.offered_webhooks_per_second} webhooks/s`, '', 'p99 ≤ 250 ms']);
    rows.push(['Backlog at end / 3 s later', `${lag.backlog_at_end} / ${lag.backlog_3s_later} events`, '', '', 'no growing backlog']);
    const slowest = Object.entries(lag.projection_mean_batch_ms ?? {}).sort((a: any, b: any) => b[1] - a[1]).slice(0, 3);
    rows.push(['Live projector batches', `${lag.projector_mean_batch_events} events on average`, `${lag.projector_batches} batches; slowest projections per batch: ${slowest.map(([p, ms]) => `${p} ${ms} ms`).join(', ')}`, '', 'reported']);
  }
  for (const r of replay ?? []) {
    rows.push([`Replay (all projections), ${r.log} log`, `${r.replay_all_events_per_second} events/s`, `${r.ceiling_keyset_scan_events_per_second} events/s (keyset scan of raw_body as text + JSON.parse)`, `${r.ratio_to_ceiling}×`, '≥ 0.6×']);
    rows.push([`Replay peak RSS, ${r.log} log`, `${r.peak_rss_mb} MB`, `${r.events} events of ${r.average_body_bytes} bytes on average; CPU per event: replay ${r.replay_cpu_us_per_event} µs, PostgreSQL ${r.postgres_cpu_us_per_event} µs`, '', '≤ 512 MB']);
  }
  if (report) {
    rows.push(['GET /reports/points (one month)', `${report.report_ms} ms`, `${report.entries} entries, ${report.campaigns} campaigns; bare SQL aggregate ${report.bare_sql_ms} ms (median of ${report.rounds} alternated rounds)`, `${report.ratio_to_bare_sql}×`, '≤ 2× the bare SQL']);
  }
  if (queries) {
    rows.push(['GET /customers/{id}', `${queries.customer_requests_per_second} req/s, p99 ${queries.customer_p99_ms} ms`, `${queries.customers} customers; CPU per request: service ${queries.customer_service_cpu_us_per_request} µs, PostgreSQL ${queries.customer_postgres_cpu_us_per_request} µs`, '', '≥ 5,000 req/s, p99 ≤ 20 ms']);
    rows.push(['GET /customers/{id}?as_of=', `${queries.as_of_requests_per_second} req/s, p99 ${queries.as_of_p99_ms} ms`, `median of 3 rounds alternated with GET /customers/{id}; CPU per request: service ${queries.as_of_service_cpu_us_per_request} µs, PostgreSQL ${queries.as_of_postgres_cpu_us_per_request} µs`, `${queries.as_of_ratio_to_customer}×`, '≥ 0.8× GET /customers/{id}']);
    rows.push(['GET /customers/{id}/points-history', `${queries.history_requests_per_second} req/s, p99 ${queries.history_p99_ms} ms`, `CPU per request: service ${queries.history_service_cpu_us_per_request} µs, PostgreSQL ${queries.history_postgres_cpu_us_per_request} µs`, '', '≥ 5,000 req/s, p99 ≤ 20 ms']);
  }
  if (peers) rows.push(...peerRows(peers));
  const table = [
    '| Figure | Measured | Ceiling / context | Ratio | Target |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  return `# Benchmark results\n\nRun ${results.started_at} on ${results.machine.cpus} cores, ${results.machine.memory_gb} GiB, Node ${results.machine.node}.\n\n${table}\n`;
}

/** The peers scenario: each system's median of the alternated rounds, the per-round ratios beside it. */
function peerRows(peers: any): string[][] {
  const rows: string[][] = [];
  const { ingest, reads } = peers;
  const cpu = (m: any) => `CPU per webhook: ${m.process_cpu_us_per_webhook} µs its process + ${m.postgres_cpu_us_per_webhook} µs PostgreSQL = ${m.cpu_us_per_webhook} µs`;
  const rounds = `median of ${ingest.rounds} alternated rounds of ${ingest.seconds_per_round} s`;
  rows.push(['Peers: ingest, this service (PROJECTOR=off)', `${ingest.service.webhooks_per_second} webhooks/s`, `ceiling ${ingest.ceiling_rows_per_second} rows/s; per round ${ingest.service.ratio_to_ceiling_per_round.join(', ')}×; ${cpu(ingest.service)}; ${rounds}`, `${ingest.service.ratio_to_ceiling}× ceiling`, '≥ 1.0× ceiling']);
  rows.push(['Peers: ingest, projector on (default)', `${ingest.service_projector_on.webhooks_per_second} webhooks/s`, `per round ${ingest.service_projector_on.ratio_to_ceiling_per_round.join(', ')}×; ${cpu(ingest.service_projector_on)}`, `${ingest.service_projector_on.ratio_to_ceiling}× ceiling`, '≥ 0.6× ceiling']);
  rows.push(['Peers: ingest, LOG_LEVEL=info (default)', `${ingest.service_log_info.webhooks_per_second} webhooks/s`, `${cpu(ingest.service_log_info)}; the access log costs ${ingest.log_info_cost_us_per_webhook} µs of service CPU per webhook (median of the per-round differences)`, `${ingest.service_log_info.ratio_to_ceiling}× ceiling`, '(reported)']);
  for (const [key, label] of [['emmett', 'Emmett 0.42 (Fastify)'], ['nest_typeorm', 'NestJS + TypeORM save() (Express)']]) {
    const m = ingest[key];
    rows.push([`Peers: ingest, ${label}`, `${m.webhooks_per_second} webhooks/s`, `service ÷ it per round ${m.service_ratio_per_round.join(', ')}×; ${cpu(m)}; ${m.ratio_to_ceiling}× ceiling`, `${m.service_ratio}×`, '≥ 3.0×']);
  }
  if (reads) {
    for (const [endpoint, label] of [['customer', 'GET /customers/{id}'], ['points_history', 'GET /customers/{id}/points-history']]) {
      const r = reads[endpoint];
      const rcpu = (m: any) => `CPU per request ${m.process_cpu_us_per_request} + ${m.postgres_cpu_us_per_request} µs PostgreSQL, p99 ${m.p99_ms} ms`;
      rows.push([`Peers: ${label}, this service`, `${r.service.requests_per_second} req/s`, `${rcpu(r.service)}; median of ${reads.rounds} alternated rounds`, '', '']);
      rows.push([`Peers: ${label}, floor (Fastify + pg, same SQL and JSON)`, `${r.floor.requests_per_second} req/s`, `service ÷ floor per round ${r.floor.service_ratio_per_round.join(', ')}×; ${rcpu(r.floor)}`, `${r.floor.service_ratio}×`, '≥ 0.7×']);
      rows.push([`Peers: ${label}, NestJS + TypeORM findOne with relations`, `${r.nest_typeorm.requests_per_second} req/s`, `service ÷ it per round ${r.nest_typeorm.service_ratio_per_round.join(', ')}×; ${rcpu(r.nest_typeorm)}`, `${r.nest_typeorm.service_ratio}×`, '≥ 3×']);
    }
  }
  return rows;
}
