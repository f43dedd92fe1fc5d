import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import { withDeadline } from '@ledger/event-store';

export interface RejectedDelivery {
  statusCode: number;
  reason: string;
  detail?: string;
  eventId?: string;
  headers: Record<string, string>;
  /** Its first KiB is kept. */
  body?: Buffer;
  bodySize?: number;
}

const BODY_PREFIX_BYTES = 1024;
/**
 * Refusals recorded per second at most: anyone can send garbage, and a flood of it must not
 * fill the disk or the pool that real webhooks need. The excess is counted in the log.
 */
const RECORDS_PER_SECOND = 50;
/** Recording a refusal must never hold up the answer to Voucherify for long. */
const RECORD_DEADLINE_MS = 1000;

/** Keeps each refused delivery so an operator can see why Voucherify was turned away. */
@Injectable()
export class RejectedDeliveries {
  private readonly logger = new Logger(RejectedDeliveries.name);

  private windowStart = 0;
  private recordedInWindow = 0;
  private skippedInWindow = 0;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private admit(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      if (this.skippedInWindow > 0) this.logger.warn({ skipped: this.skippedInWindow }, 'refusals not recorded (rate limit)');
      this.windowStart = now;
      this.recordedInWindow = 0;
      this.skippedInWindow = 0;
    }
    if (this.recordedInWindow >= RECORDS_PER_SECOND) {
      this.skippedInWindow++;
      return false;
    }
    this.recordedInWindow++;
    return true;
  }

  /** Best effort: a refusal that cannot be recorded (database down, rate limit) is logged instead. */
  async record(rejection: RejectedDelivery): Promise<void> {
    if (!this.admit()) return;
    try {
      await withDeadline(
        this.pool.query(
          `INSERT INTO rejected_deliveries (status_code, reason, detail, event_id, request_headers, body_size, body_prefix)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
          [
            rejection.statusCode,
            rejection.reason,
            rejection.detail?.slice(0, 2000) ?? null,
            rejection.eventId ?? null,
            JSON.stringify(rejection.headers),
            rejection.bodySize ?? rejection.body?.length ?? null,
            rejection.body?.subarray(0, BODY_PREFIX_BYTES) ?? null,
          ],
        ),
        RECORD_DEADLINE_MS,
      );
    } catch (error) {
      this.logger.warn({ reason: rejection.reason, err: (error as Error).message }, 'could not record a rejected delivery');
    }
  }
}
