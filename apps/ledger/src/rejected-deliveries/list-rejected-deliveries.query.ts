import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import { encodeCursor } from '../http/page-cursor';
import type { RejectionCursor } from './rejected-delivery-cursor';
import type { RejectedDeliveryPageDto, RejectedDeliveryDto } from './rejected-delivery.dto';

export interface RejectedDeliveriesFilter {
  reason?: string;
  status?: number;
  from?: string;
  to?: string;
  limit: number;
  after?: RejectionCursor;
}

/** Refused deliveries of signed senders, newest first. */
export class ListRejectedDeliveriesQuery extends Query<RejectedDeliveryPageDto> {
  constructor(readonly filter: RejectedDeliveriesFilter) {
    super();
  }
}

interface Row {
  id: string;
  rejected_at: Date;
  status_code: number;
  reason: string;
  detail: string | null;
  event_id: string | null;
  request_headers: Record<string, string> | null;
  body_size: number | null;
  body_prefix: Buffer | null;
}

function present(row: Row): RejectedDeliveryDto {
  const prefix = row.body_prefix;
  return {
    id: Number(row.id),
    rejected_at: row.rejected_at.toISOString(),
    status_code: row.status_code,
    reason: row.reason,
    detail: row.detail,
    event_id: row.event_id,
    request_headers: row.request_headers ?? {},
    body_size: row.body_size,
    // Buffer#toString('utf8') replaces every invalid sequence (and a character cut at the end) with U+FFFD.
    body_start: prefix === null ? null : prefix.toString('utf8'),
    body_truncated: prefix !== null && row.body_size !== null && row.body_size > prefix.length,
  };
}

@QueryHandler(ListRejectedDeliveriesQuery)
export class ListRejectedDeliveriesHandler implements IQueryHandler<ListRejectedDeliveriesQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ filter }: ListRejectedDeliveriesQuery): Promise<RejectedDeliveryPageDto> {
    const params: unknown[] = [filter.limit + 1];
    const where: string[] = [];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (filter.reason !== undefined) add((n) => `reason = $${n}`, filter.reason);
    if (filter.status !== undefined) add((n) => `status_code = $${n}`, filter.status);
    if (filter.from !== undefined) add((n) => `rejected_at >= $${n}`, filter.from);
    if (filter.to !== undefined) add((n) => `rejected_at < $${n}`, filter.to);
    if (filter.after !== undefined) add((n) => `id < $${n}`, filter.after.id);
    const result = await this.pool.query<Row>(
      `SELECT id, rejected_at, status_code, reason, detail, event_id, request_headers, body_size, body_prefix
       FROM rejected_deliveries ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $1`,
      params,
    );
    const rows = result.rows.slice(0, filter.limit);
    const last = rows[rows.length - 1];
    return {
      data: rows.map(present),
      next_cursor: result.rows.length > filter.limit && last ? encodeCursor({ id: Number(last.id) }) : null,
    };
  }
}
