import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import perfHooks = require('node:perf_hooks');
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { canonicalEventType, isKnownEventType } from '@ledger/voucherify';
import { AppliedBatch, lastDeliveries, projectionStatus, withDeadline } from '@ledger/event-store';
import { openGapTotals, PROJECTION_NAMES } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

export const SCRAPE_QUERY_DEADLINE_MS = 2000;

/**
 * Prometheus metrics (prom-client), one registry per application instance. The process's own
 * metrics (prom-client's defaults) run an event-loop monitor and a GC observer, stopped when the
 * application closes.
 */
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly stopDefaultMetrics: () => void;

  private readonly ingested = new Counter({
    name: 'ledger_ingested_events_total',
    help: 'Webhook deliveries by event type and outcome (appended, duplicate, or the refusal reason)',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });

  private readonly ingestDuration = new Histogram({
    name: 'ledger_ingest_duration_seconds',
    help: 'Time from receiving a webhook body to answering it',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly projectorBatchEvents = new Histogram({
    name: 'ledger_projector_batch_events',
    help: 'Events in each batch the live projector applied (small batches under load mean each event pays a whole round of transactions)',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [this.registry],
  });

  private readonly projectionBatchDuration = new Histogram({
    name: 'ledger_projection_batch_duration_seconds',
    help: "Time one projection's transaction took to apply a live batch, waiting for a connection included",
    labelNames: ['projection'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.stopDefaultMetrics = collectStoppableDefaultMetrics(this.registry);
    const registry = this.registry;
    new Gauge({
      name: 'ledger_db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    // One query at scrape time fills the three projection gauges: prom-client collects them in
    // parallel, so they share the one query in flight.
    let inFlight: Promise<void> | undefined;
    const shared = () =>
      (inFlight ??= refresh().finally(() => {
        inFlight = undefined;
      }));
    const refresh = async () => {
      const status = await withDeadline(projectionStatus(pool, PROJECTION_NAMES), SCRAPE_QUERY_DEADLINE_MS).catch(
        () => [], // a scrape during an outage still shows the other metrics
      );
      for (const projection of status) {
        lagEvents.set({ projection: projection.name }, projection.events_behind);
        lagSeconds.set({ projection: projection.name }, projection.lag_seconds);
        parked.set({ projection: projection.name }, projection.parked_events);
      }
    };
    const lagEvents = new Gauge({
      name: 'ledger_projection_lag_events',
      help: 'Events in the log not yet applied by the projection (commit-safe order)',
      labelNames: ['projection'],
      registers: [registry],
      collect: shared,
    });
    const lagSeconds = new Gauge({
      name: 'ledger_projection_lag_seconds',
      help: 'Age of the oldest event the projection has not applied yet (0 when caught up)',
      labelNames: ['projection'],
      registers: [registry],
      collect: shared,
    });
    new Gauge({
      name: 'ledger_open_gaps',
      help: 'Open ledger gaps: cards whose balance chain breaks (a webhook is missing), and the points they leave unexplained',
      labelNames: ['measure'],
      registers: [registry],
      async collect() {
        const totals = await withDeadline(openGapTotals(pool), SCRAPE_QUERY_DEADLINE_MS).catch(() => undefined);
        if (!totals) return; // a scrape during an outage still shows the other metrics
        this.set({ measure: 'cards' }, totals.cards);
        this.set({ measure: 'points' }, totals.points);
      },
    });
    new Gauge({
      name: 'ledger_last_webhook_received_timestamp_seconds',
      help: 'When each Voucherify project last delivered a webhook (Unix time); alert when it stops moving',
      labelNames: ['project_id'],
      registers: [registry],
      async collect() {
        const deliveries = await withDeadline(lastDeliveries(pool), SCRAPE_QUERY_DEADLINE_MS).catch(() => undefined);
        if (!deliveries) return;
        this.reset();
        for (const d of deliveries) this.set({ project_id: d.project_id ?? 'none' }, Date.parse(d.last_delivery_at) / 1000);
      },
    });
    const parked = new Gauge({
      name: 'ledger_projection_parked_events',
      help: 'Events parked (dead letters) per projection',
      labelNames: ['projection'],
      registers: [registry],
      collect: shared,
    });
  }

  onModuleDestroy(): void {
    this.stopDefaultMetrics();
  }

  /** One webhook delivery answered: its event type (if it got that far), outcome and time taken. */
  countDelivery(type: string | undefined, outcome: string, elapsedMs: number): void {
    this.ingested.inc({ type: this.typeLabel(type), outcome });
    this.ingestDuration.observe({ outcome }, elapsedMs / 1000);
  }

  /** A batch the live projector applied (ProjectionRunner's onBatch). */
  observeProjectorBatch(batch: AppliedBatch): void {
    this.projectorBatchEvents.observe(batch.events);
    for (const { projection, seconds } of batch.projections) this.projectionBatchDuration.observe({ projection }, seconds);
  }

  /** Unknown types share one label value: Voucherify adds types, labels must stay few. */
  private typeLabel(type: string | undefined): string {
    if (!type) return 'none';
    const canonical = canonicalEventType(type);
    return isKnownEventType(canonical) ? canonical : 'other';
  }
}

/**
 * prom-client's default metrics, with a way to stop them. collectDefaultMetrics starts an
 * event-loop delay monitor (a timer every 10 ms) and a GC PerformanceObserver and gives no way to
 * stop either: each application instance left both behind, with its registry, for the life of the
 * process (tests start dozens in one process). The two are caught as prom-client creates them (it
 * calls perf_hooks' monitorEventLoopDelay and PerformanceObserver when collecting starts), and the
 * returned function disables the one and disconnects the other.
 */
function collectStoppableDefaultMetrics(registry: Registry): () => void {
  // The module object itself (not an import's copy of it), where prom-client looks them up.
  const hooks = perfHooks as { monitorEventLoopDelay: typeof perfHooks.monitorEventLoopDelay; PerformanceObserver: typeof perfHooks.PerformanceObserver };
  const { monitorEventLoopDelay, PerformanceObserver } = hooks;
  const monitors: perfHooks.IntervalHistogram[] = [];
  const observers: perfHooks.PerformanceObserver[] = [];
  hooks.monitorEventLoopDelay = (options) => {
    const monitor = monitorEventLoopDelay(options);
    monitors.push(monitor);
    return monitor;
  };
  hooks.PerformanceObserver = class extends PerformanceObserver {
    constructor(callback: perfHooks.PerformanceObserverCallback) {
      super(callback);
      observers.push(this);
    }
  };
  try {
    collectDefaultMetrics({ register: registry });
  } finally {
    hooks.monitorEventLoopDelay = monitorEventLoopDelay;
    hooks.PerformanceObserver = PerformanceObserver;
  }
  return () => {
    for (const monitor of monitors.splice(0)) monitor.disable();
    for (const observer of observers.splice(0)) observer.disconnect();
  };
}
