import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import type { ReconciliationListDto, ReconciliationPlanDto, ReconciliationReportDto, ReconciliationRunDto } from './reconciliation.dto';
import { LedgerConfig, voucherifyConfigured } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';
import { IngestCommand } from '../ingest/ingest.command';
import { lockCampaigns, SCHEDULE_LOCK } from './campaign-locks';
import { ReconcileInterruptedError, ReconcileRequest, Reconciler, ReconcilerDeps } from './reconciler';
import { ReconciliationMetrics } from './reconciliation-metrics';
import { ReconciliationRuns } from './reconciliation-runs';
import { VoucherifyApi, VoucherifyApiOptions } from './voucherify-api';

/** How far a scheduled run reads back before the last one began: webhooks still in flight then are covered. */
const SCHEDULE_OVERLAP_MS = 10 * 60_000;

/** Reconciliation without credentials: every feature says so instead of failing. */
export class ReconciliationNotConfiguredError extends Error {
  name = 'ReconciliationNotConfiguredError';
  constructor() {
    super('reconciliation with Voucherify is not configured: set VOUCHERIFY_APP_ID and VOUCHERIFY_SECRET_KEY');
  }
}

/** A Voucherify API client from the configuration (one per run: its limiter bounds that run's calls). */
export function voucherifyApiFrom(config: LedgerConfig, signal?: AbortSignal, maxCalls = config.reconcileMaxCalls, onCall?: VoucherifyApiOptions['onCall']): VoucherifyApi {
  if (!voucherifyConfigured(config)) throw new ReconciliationNotConfiguredError();
  return new VoucherifyApi({
    applicationId: config.voucherifyAppId,
    secretKey: config.voucherifySecretKey,
    apiUrl: config.voucherifyApiUrl,
    timeoutMs: config.voucherifyTimeoutMs,
    retries: config.voucherifyRetries,
    concurrency: config.reconcileConcurrency,
    callsPerMinute: config.voucherifyCallsPerMinute,
    maxCalls,
    exportPollMs: config.voucherifyExportPollMs,
    signal,
    onCall,
  });
}

/** The reconciler's parts from the configuration: the API client of one run (its budget and pace are that run's). */
export function reconcilerDepsFrom(
  config: LedgerConfig,
  pool: Pool,
  ingest: ReconcilerDeps['ingest'],
  signal: AbortSignal,
  maxCalls?: number,
  onCall?: VoucherifyApiOptions['onCall'],
): ReconcilerDeps {
  return {
    pool,
    api: voucherifyApiFrom(config, signal, maxCalls ?? config.reconcileMaxCalls, onCall),
    ingest,
    concurrency: config.reconcileConcurrency,
    callsPerMinute: config.voucherifyCallsPerMinute,
    maxCalls: config.reconcileMaxCalls,
    exportPollMs: config.voucherifyExportPollMs,
  };
}

/**
 * Reconciliations in the service: started over HTTP (in the background, progress in the table)
 * or on schedule (RECONCILE_EVERY_MINUTES, `--backfill --since` the last scheduled run, one instance at a time).
 * Stopping the service interrupts a run; the next run with the same options resumes it.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationService.name);
  private readonly running = new Set<{ controller: AbortController; done: Promise<unknown> }>();
  private timer?: NodeJS.Timeout;
  private scheduledInFlight = false;
  private readonly runs: ReconciliationRuns;

  constructor(
    private readonly config: LedgerConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly commandBus: CommandBus,
    private readonly metrics: ReconciliationMetrics,
  ) {
    this.runs = new ReconciliationRuns(pool);
  }

  get configured(): boolean {
    return voucherifyConfigured(this.config);
  }

  private reconciler(signal: AbortSignal, maxCalls?: number): Reconciler {
    const ingest = (rawBody: Buffer) => this.commandBus.execute(new IngestCommand(rawBody, { kind: 'reconciliation' }));
    return new Reconciler(reconcilerDepsFrom(this.config, this.pool, ingest, signal, maxCalls, (endpoint, status) => this.metrics.countCall(endpoint, status)));
  }

  /** What a run of these options would read and spend; no call to Voucherify. */
  plan(request: ReconcileRequest): Promise<ReconciliationPlanDto> {
    return this.reconciler(new AbortController().signal, request.maxCalls).plan(request);
  }

  /** Locks the campaigns and answers the run at once; the work goes on in the background. */
  async start(request: ReconcileRequest, trigger: 'api' | 'schedule'): Promise<ReconciliationRunDto> {
    const controller = new AbortController();
    const reconciler = this.reconciler(controller.signal, request.maxCalls);
    const started = await reconciler.start(request, trigger);
    const done = reconciler
      .run(started, controller.signal)
      .then((report) => this.logger.log({ run: report.id, summary: report.summary }, 'reconciliation finished'))
      .catch((error: Error) => {
        if (error instanceof ReconcileInterruptedError) this.logger.warn(error.message);
        else this.logger.warn({ run: started.stored.run.id }, `reconciliation failed: ${error.message}`);
      });
    const entry = { controller, done };
    this.running.add(entry);
    void done.finally(() => this.running.delete(entry));
    const { cards: _cards, cards_truncated: _truncated, ...run } = started.stored.run;
    return run;
  }

  list(limit: number, cursor?: { startedAt: string; id: string }): Promise<ReconciliationListDto> {
    if (!this.configured) throw new ReconciliationNotConfiguredError();
    return this.runs.list(limit, cursor);
  }

  async get(id: string): Promise<ReconciliationReportDto | null> {
    if (!this.configured) throw new ReconciliationNotConfiguredError();
    return (await this.runs.find(id))?.run ?? null;
  }

  onApplicationBootstrap(): void {
    if (!this.configured || this.config.reconcileEveryMinutes === 0) return;
    this.timer = setInterval(() => void this.scheduled(), this.config.reconcileEveryMinutes * 60_000);
    this.timer.unref();
  }

  /**
   * The scheduled run, with backfill: every campaign since the last successful scheduled run began
   * (less SCHEDULE_OVERLAP_MS, for transactions whose webhooks were still on their way), through
   * the transactions list when that is cheaper; the first one reads every campaign whole, through
   * its exports. Skipped when another instance holds the schedule or a campaign is busy.
   */
  async scheduled(): Promise<void> {
    if (this.scheduledInFlight) return;
    this.scheduledInFlight = true;
    const lock = await lockCampaigns(this.pool, [SCHEDULE_LOCK]).catch(() => null);
    try {
      if (!lock || 'heldBy' in lock) return;
      const last = await this.runs.lastSucceededStart('schedule');
      const since = last ? new Date(Date.parse(last) - SCHEDULE_OVERLAP_MS).toISOString() : null;
      const controller = new AbortController();
      const reconciler = this.reconciler(controller.signal);
      const started = await reconciler.start({ campaignIds: [], cardIds: [], gapsOnly: false, since, backfill: true }, 'schedule');
      const done = reconciler.run(started, controller.signal);
      const entry = { controller, done };
      this.running.add(entry);
      await done.finally(() => this.running.delete(entry));
    } catch (error) {
      this.logger.warn(`scheduled reconciliation did not run to its end: ${(error as Error).message}`);
    } finally {
      if (lock && !('heldBy' in lock)) await lock.release();
      this.scheduledInFlight = false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const { controller } of this.running) controller.abort();
    await Promise.all([...this.running].map((r) => r.done.catch(() => undefined)));
  }
}
