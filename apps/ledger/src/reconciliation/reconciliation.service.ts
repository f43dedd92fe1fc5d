import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { anyOpenGap } from '@ledger/projections';
import type { ReconciliationListDto, ReconciliationReportDto, ReconciliationRunDto } from './reconciliation.dto';
import { LedgerConfig, voucherifyConfigured } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';
import { IngestCommand } from '../ingest/ingest.command';
import { lockCampaigns, SCHEDULE_LOCK } from './campaign-locks';
import { ReconcileInterruptedError, ReconcileRequest, Reconciler } from './reconciler';
import { ReconciliationRuns } from './reconciliation-runs';
import { VoucherifyApi } from './voucherify-api';

/** Reconciliation without credentials: every feature says so instead of failing. */
export class ReconciliationNotConfiguredError extends Error {
  name = 'ReconciliationNotConfiguredError';
  constructor() {
    super('reconciliation with Voucherify is not configured: set VOUCHERIFY_APP_ID and VOUCHERIFY_SECRET_KEY');
  }
}

/** A Voucherify API client from the configuration (one per run: its limiter bounds that run's calls). */
export function voucherifyApiFrom(config: LedgerConfig, signal?: AbortSignal): VoucherifyApi {
  if (!voucherifyConfigured(config)) throw new ReconciliationNotConfiguredError();
  return new VoucherifyApi({
    applicationId: config.voucherifyAppId,
    secretKey: config.voucherifySecretKey,
    apiUrl: config.voucherifyApiUrl,
    timeoutMs: config.voucherifyTimeoutMs,
    retries: config.voucherifyRetries,
    concurrency: config.reconcileConcurrency,
    signal,
  });
}

/**
 * Reconciliations in the service: started over HTTP (in the background, progress in the table)
 * or on schedule (RECONCILE_EVERY_MINUTES, `--gaps-only --backfill`, one instance at a time).
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
  ) {
    this.runs = new ReconciliationRuns(pool);
  }

  get configured(): boolean {
    return voucherifyConfigured(this.config);
  }

  private reconciler(signal: AbortSignal): Reconciler {
    return new Reconciler({
      pool: this.pool,
      api: voucherifyApiFrom(this.config, signal),
      ingest: (rawBody) => this.commandBus.execute(new IngestCommand(rawBody, { kind: 'reconciliation' })),
      concurrency: this.config.reconcileConcurrency,
    });
  }

  /** Locks the campaigns and answers the run at once; the work goes on in the background. */
  async start(request: ReconcileRequest, trigger: 'api' | 'schedule'): Promise<ReconciliationRunDto> {
    const controller = new AbortController();
    const reconciler = this.reconciler(controller.signal);
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

  /** The scheduled run: skipped when another instance holds the schedule or a campaign is busy. */
  async scheduled(): Promise<void> {
    if (this.scheduledInFlight) return;
    this.scheduledInFlight = true;
    const lock = await lockCampaigns(this.pool, [SCHEDULE_LOCK]).catch(() => null);
    try {
      if (!lock || 'heldBy' in lock) return;
      // Nothing open, nothing to ask Voucherify: no run (and no row) for a quiet tick.
      if (!(await anyOpenGap(this.pool))) return;
      const controller = new AbortController();
      const reconciler = this.reconciler(controller.signal);
      const started = await reconciler.start({ campaignIds: [], cardIds: [], gapsOnly: true, since: null, backfill: true }, 'schedule');
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
