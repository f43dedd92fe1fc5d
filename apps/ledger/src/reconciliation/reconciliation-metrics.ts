import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { withDeadline } from '@ledger/event-store';
import { PG_POOL } from '../database/database.module';
import { Metrics, SCRAPE_QUERY_DEADLINE_MS } from '../health/metrics.service';
import { ReconciliationRuns } from './reconciliation-runs';

/** What the last finished reconciliation left, on /metrics (the alarm's input: deploy/prometheus/alerts.yml). */
@Injectable()
export class ReconciliationMetrics {
  private readonly calls: Counter<'endpoint' | 'status'>;

  constructor(metrics: Metrics, @Inject(PG_POOL) pool: Pool) {
    this.calls = new Counter({
      name: 'ledger_voucherify_calls_total',
      help: "Calls the service's reconciliations sent to Voucherify's API, by endpoint (as its documentation names it) and HTTP status (0: no answer)",
      labelNames: ['endpoint', 'status'],
      registers: [metrics.registry],
    });
    const runs = new ReconciliationRuns(pool);
    new Gauge({
      name: 'ledger_reconciliation_differences',
      help: 'Differences from Voucherify left by the last finished reconciliation: cards that differ, and the points they leave unexplained',
      labelNames: ['measure'],
      registers: [metrics.registry],
      async collect() {
        const summary = await withDeadline(runs.lastFinishedSummary(), SCRAPE_QUERY_DEADLINE_MS).catch(() => undefined);
        if (summary === undefined) return;
        this.set({ measure: 'cards' }, summary?.cards_differing ?? 0);
        this.set({ measure: 'points' }, summary?.points_unexplained ?? 0);
      },
    });
  }

  /** One call to Voucherify, as a run's client reports it. */
  countCall(endpoint: string, status: number): void {
    this.calls.inc({ endpoint, status: String(status) });
  }
}
