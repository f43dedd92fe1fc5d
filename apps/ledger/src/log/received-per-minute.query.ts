import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import type { TimeRange } from '../http/validation/time-range';

export interface ReceivedPerMinute {
  minutes: { minute: Date; webhooks: number }[];
  lastReceivedAt: Date | null;
}

/** Webhooks stored per minute of arrival within a range, and the arrival of the newest one. */
export class ReceivedPerMinuteQuery extends Query<ReceivedPerMinute> {
  constructor(readonly range: TimeRange) {
    super();
  }
}

// Webhooks only (not imported or operator events). The range is found through the BRIN index
// events_received_at_brin; the newest webhook by walking the log back from its end (the primary
// key): imports and backfills are rare, so the first rows back are webhooks.
const WEBHOOK = `signature_status IN ('verified', 'unsigned')`;

@QueryHandler(ReceivedPerMinuteQuery)
export class ReceivedPerMinuteHandler implements IQueryHandler<ReceivedPerMinuteQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ range }: ReceivedPerMinuteQuery): Promise<ReceivedPerMinute> {
    const [minutes, last] = await Promise.all([
      this.pool.query<{ minute: Date; webhooks: string }>(
        `SELECT date_trunc('minute', received_at) AS minute, count(*) AS webhooks FROM events
         WHERE ${WEBHOOK} AND received_at >= $1 AND received_at < $2 GROUP BY 1 ORDER BY 1`,
        [range.from, range.to],
      ),
      this.pool.query<{ received_at: Date }>(`SELECT received_at FROM events WHERE ${WEBHOOK} ORDER BY global_position DESC LIMIT 1`),
    ]);
    return {
      minutes: minutes.rows.map((row) => ({ minute: row.minute, webhooks: Number(row.webhooks) })),
      lastReceivedAt: last.rows[0]?.received_at ?? null,
    };
  }
}
