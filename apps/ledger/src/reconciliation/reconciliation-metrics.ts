import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { withDeadline } from '@ledger/event-store';
import { PG_POOL } from '../database/database.module';
import { Metrics, SCRAPE_QUERY_DEADLINE_MS } from '../health/metrics.service';
import { ReconciliationRuns } from './reconciliation-runs';

/** What the last finished reconciliation left, on /metrics (the alarm's input: deploy/prometheus/alerts.yml). */
@Injectable()
export class ReconciliationMetrics {
  constructor(metrics: Metrics, @Inject(PG_POOL) pool: Pool) {
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
}
