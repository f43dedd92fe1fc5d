import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { campaignsWithCards } from '@ledger/projections';
import { LedgerConfig, voucherifyConfigured } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';
import { ReconciliationMetrics } from '../reconciliation/reconciliation-metrics';
import { ReconciliationNotConfiguredError, voucherifyApiFrom } from '../reconciliation/reconciliation.service';
import { readPointBuckets, staleCampaigns } from './point-buckets';
import { trySessionLocks } from '../database/session-locks';

/** How often an instance looks for campaigns whose buckets are older than EXPIRING_POINTS_REFRESH_HOURS. */
const CHECK_EVERY_MS = 15 * 60_000;
/** One reader of the buckets at a time, across instances (a session advisory lock). */
const READ_LOCK = 'ledger:expiring-points';

export class ExpiringPointsBusyError extends Error {
  name = 'ExpiringPointsBusyError';
  constructor() {
    super('the point buckets are being read already: ask again when that read is done');
  }
}

/**
 * Reads Voucherify's point buckets in the background: when asked (POST /admin/expiring-points/refresh)
 * and, with Voucherify configured, for each campaign whose last read is older than
 * EXPIRING_POINTS_REFRESH_HOURS. One export a campaign (a create, its polls, its files: about four
 * calls), paced and bounded by the same settings as a reconciliation run (VOUCHERIFY_CALLS_PER_MINUTE,
 * RECONCILE_MAX_CALLS per read).
 */
@Injectable()
export class ExpiringPointsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ExpiringPointsService.name);
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly config: LedgerConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly metrics: ReconciliationMetrics,
  ) {}

  /** Starts a read of these campaigns' buckets (all the ledger's when none is named); answers the campaigns at once. */
  async refresh(campaignIds: string[]): Promise<string[]> {
    if (!voucherifyConfigured(this.config)) throw new ReconciliationNotConfiguredError();
    if (this.running) throw new ExpiringPointsBusyError();
    const campaigns = campaignIds.length > 0 ? [...new Set(campaignIds)].sort() : await campaignsWithCards(this.pool);
    const started = await this.read(campaigns);
    if (!started) throw new ExpiringPointsBusyError();
    return campaigns;
  }

  onApplicationBootstrap(): void {
    if (!voucherifyConfigured(this.config) || this.config.expiringPointsRefreshHours === 0) return;
    this.timer = setInterval(() => void this.readStale(), CHECK_EVERY_MS);
    this.timer.unref();
    void this.readStale();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.controller.abort();
    await this.running?.catch(() => undefined);
  }

  private async readStale(): Promise<void> {
    if (this.running) return;
    try {
      const campaigns = await staleCampaigns(this.pool, this.config.expiringPointsRefreshHours);
      if (campaigns.length > 0) await this.read(campaigns);
    } catch (error) {
      this.logger.warn(`point buckets not read: ${(error as Error).message}`);
    }
  }

  /** Takes the lock and reads in the background; false when another instance holds it. */
  private async read(campaigns: string[]): Promise<boolean> {
    const api = voucherifyApiFrom(this.config, this.controller.signal, this.config.reconcileMaxCalls, (endpoint, status) => this.metrics.countCall(endpoint, status));
    const locks = await trySessionLocks(this.pool, READ_LOCK, ['buckets']);
    if ('heldBy' in locks) return false;
    this.running = (async () => {
      for (const campaignId of campaigns) {
        if (this.controller.signal.aborted) break;
        try {
          const read = await readPointBuckets(this.pool, api, campaignId);
          this.logger.log({ campaign: campaignId, buckets: read.buckets, calls: read.calls }, 'point buckets read');
        } catch (error) {
          this.logger.warn({ campaign: campaignId }, `point buckets not read: ${(error as Error).message}`);
        }
      }
    })().finally(async () => {
      this.running = null;
      await locks.release();
    });
    return true;
  }
}
