import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import { withDeadline } from '../database/database-errors';

export interface RejectedDelivery {
  statusCode: number;
  reason: string;
  detail?: string;
  eventId?: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const BODY_PREFIX_BYTES = 1024;
/** Recording a refusal must never hold up the answer to Voucherify for long. */
const RECORD_DEADLINE_MS = 1000;

/** Keeps each refused delivery so an operator can see why Voucherify was turned away. */
@Injectable()
export class RejectedDeliveries {
  private readonly logger = new Logger(RejectedDeliveries.name);

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Best effort: a refusal that cannot be recorded (database down) is logged instead. */
  async record(rejection: RejectedDelivery): Promise<void> {
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
            rejection.body?.length ?? null,
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
