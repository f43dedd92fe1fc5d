import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { Pool } from 'pg';
import { LedgerConfig } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';
import { countRefusedNaming, ErasureOptions, resolveCustomer, scanForErasure } from './erasure-scan';
import type { ErasureDto, ErasurePreviewDto } from './erasure.dto';
import { ErasureRequestError, existingErasure, getErasure, listErasures, requestErasure, runErasure, unfinishedErasures } from './erasures';

const ERASURES_EVERY_MS = 1000;

/** Erasures in the service: requests from the admin API, run in the background one at a time per process. */
@Injectable()
export class ErasureService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ErasureService.name);
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly config: LedgerConfig,
  ) {}

  get options(): ErasureOptions & { refreshMs: number } {
    return { extraFields: this.config.eraseExtraFields, sourceId: this.config.eraseSourceId, refreshMs: this.config.erasureRefreshMs };
  }

  /** What an erasure would remove, counted (the console shows it before the operator confirms). */
  async preview(customer: string): Promise<ErasurePreviewDto> {
    const customerId = await resolveCustomer(this.pool, customer);
    if (!customerId) throw new ErasureRequestError('unknown_customer', `the ledger has never seen a customer ${customer} (give the cust_ id or the source id)`);
    const scan = await scanForErasure(this.pool, customerId, this.options);
    return {
      customer_id: customerId,
      events: scan.targets.length,
      fields: scan.fields,
      rejected_deliveries: await countRefusedNaming(this.pool, scan.needles),
      existing_erasure: await existingErasure(this.pool, customerId),
    };
  }

  async request(customer: string, reason: string | undefined): Promise<ErasureDto> {
    const erasure = await requestErasure(this.pool, { customer, reason, requestedBy: 'api' });
    void this.runPending();
    return erasure;
  }

  list(limit: number): Promise<ErasureDto[]> {
    return listErasures(this.pool, limit);
  }

  get(id: string): Promise<ErasureDto | null> {
    return getErasure(this.pool, id);
  }

  onApplicationBootstrap(): void {
    void this.runPending();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  /** Requested erasures, and those a process left running when it died, one after the other. */
  @Interval('erasures', ERASURES_EVERY_MS)
  runPending(): Promise<void> {
    this.running ??= this.runAll()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'erasures not run; next try in a second'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async runAll(): Promise<void> {
    for (const id of await unfinishedErasures(this.pool)) {
      if (this.stopping) return;
      const done = await runErasure(this.pool, id, this.options);
      if (done) this.logger.log({ erasure: id, status: done.status, events: done.result?.events_redacted, error: done.error }, 'erasure run');
    }
  }
}
