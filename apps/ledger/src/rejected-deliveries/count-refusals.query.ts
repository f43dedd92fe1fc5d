import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import type { TimeRange } from '../http/validation/time-range';
import type { RefusalCountDto } from './rejected-delivery.dto';

/** Refusals per minute, reason and status within a range, of unauthenticated and signed senders. */
export class CountRefusalsQuery extends Query<RefusalCountDto[]> {
  constructor(readonly range: TimeRange) {
    super();
  }
}

/**
 * Both kinds of refusal, per minute: the counted ones (rejected_delivery_counts, unauthenticated
 * senders) as stored, and the kept ones (rejected_deliveries, signed senders) grouped the same
 * way, so an overview chart shows every refusal from one route.
 */
@QueryHandler(CountRefusalsQuery)
export class CountRefusalsHandler implements IQueryHandler<CountRefusalsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ range }: CountRefusalsQuery): Promise<RefusalCountDto[]> {
    const result = await this.pool.query<{ minute: Date; reason: string; status_code: number; authenticated: boolean; deliveries: string; body_bytes: string }>(
      `SELECT minute, reason, status_code, false AS authenticated, deliveries, body_bytes
       FROM rejected_delivery_counts WHERE minute >= $1 AND minute < $2
       UNION ALL
       SELECT date_trunc('minute', rejected_at), reason, status_code, true, count(*), coalesce(sum(body_size), 0)
       FROM rejected_deliveries WHERE rejected_at >= $1 AND rejected_at < $2
       GROUP BY 1, 2, 3
       ORDER BY 1, 4, 2, 3`,
      [range.from, range.to],
    );
    return result.rows.map((row) => ({
      minute: row.minute.toISOString(),
      reason: row.reason,
      status_code: row.status_code,
      authenticated: row.authenticated,
      deliveries: Number(row.deliveries),
      body_bytes: Number(row.body_bytes),
    }));
  }
}
