import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { withDeadline } from '@ledger/event-store';
import { PG_POOL } from '../database/database.module';
import { RejectedDeliveriesRetention } from './rejected-deliveries-retention';

/** A refusal of a delivery whose sender passed the signature check. */
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
const DETAIL_CHARS = 2000;
/**
 * Rows written per second at most. Only authenticated senders get here (Voucherify, or someone
 * holding its secret), so this only bounds a misbehaving integration.
 */
const RECORDS_PER_SECOND = 50;
/** Rows between two checks of the table's byte budget (besides the hourly one). */
const BUDGET_CHECK_EVERY = 1000;
/** Recording a refusal must never hold up the answer to Voucherify for long. */
const RECORD_DEADLINE_MS = 1000;

/** PostgreSQL text cannot hold NUL: a refusal that contains one is still recorded, with U+FFFD. */
const printable = (text: string): string => text.replace(/\u0000/g, '\uFFFD');

/**
 * Keeps each refused authenticated delivery whole (reason, headers, the first KiB of the body)
 * so an operator can see why Voucherify was turned away. Rows are at most ~5 KB each and the
 * table is held under REJECTED_DELIVERIES_MAX_MB by the retention job.
 */
@Injectable()
export class RejectedDeliveries {
  private readonly logger = new Logger(RejectedDeliveries.name);

  private windowStart = 0;
  private recordedInWindow = 0;
  private skippedInWindow = 0;
  private sinceBudgetCheck = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly retention: RejectedDeliveriesRetention,
  ) {}

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
            printable(rejection.reason),
            rejection.detail === undefined ? null : printable(rejection.detail.slice(0, DETAIL_CHARS)),
            rejection.eventId === undefined ? null : printable(rejection.eventId),
            JSON.stringify(Object.fromEntries(Object.entries(rejection.headers).map(([k, v]) => [k, printable(v)]))),
            rejection.bodySize ?? rejection.body?.length ?? null,
            rejection.body?.subarray(0, BODY_PREFIX_BYTES) ?? null,
          ],
        ),
        RECORD_DEADLINE_MS,
      );
      if (++this.sinceBudgetCheck >= BUDGET_CHECK_EVERY) {
        this.sinceBudgetCheck = 0;
        void this.retention.pruneLogged();
      }
    } catch (error) {
      this.logger.warn({ reason: rejection.reason, err: (error as Error).message }, 'could not record a rejected delivery');
    }
  }
}
