import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { customerRows, toIso, toNullableInt } from '@ledger/projections';
import type { PointsHistoryEntryDto, PointsHistoryPageDto } from '../customers/customer.dto';
import { PG_POOL } from '../database/database.module';
import { decodePointsHistoryCursor, encodePointsHistoryCursor } from './points-history-cursor';

export interface PointsHistoryPageQuery {
  /** A `cust_...` id or a source_id. */
  customerId: string;
  voucherId?: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

/**
 * One page of a customer's points history: the ledger entries of their cards (one per Voucherify
 * transaction, and one per change seen only in a snapshot), newest first. Gift-card credits are
 * not points and are not listed. Null when the customer was never seen. A cursor this API did not
 * issue makes the handler throw InvalidCursorError.
 */
export class PointsHistoryQuery extends Query<PointsHistoryPageDto | null> {
  constructor(readonly page: PointsHistoryPageQuery) {
    super();
  }
}

/** Entries without a source time sort last (as the oldest); the same key orders the rows and the cursor. */
const ORDER_BY = `COALESCE(occurred_at, '-infinity'::timestamptz) DESC, voucher_id DESC, seq DESC`;
const SELECT = (filters: string[]) => `SELECT e.voucher_id, e.seq, e.event_ids, e.event_type, e.occurred_at, e.occurred_at_untrusted, e.points,
    e.balance_before, e.balance_after, e.reason, e.related, e.transaction_id, e.transaction_type, e.kind, e.derived, e.gap_before
  FROM ledger_entries e JOIN loyalty_cards c ON c.voucher_id = e.voucher_id WHERE ${filters.join(' AND ')}`;

function present(row: Record<string, any>): PointsHistoryEntryDto {
  return {
    voucher_id: row.voucher_id,
    event_id: row.event_ids[0] as string,
    event_type: row.event_type,
    occurred_at: toIso(row.occurred_at),
    source_time_untrusted: row.occurred_at_untrusted,
    transaction_id: row.transaction_id,
    transaction_type: row.transaction_type,
    kind: row.kind,
    delta: toNullableInt(row.points),
    // Unknown when the entry's own figure could not be read (the chain goes on from the last known balance).
    balance_before: row.points === null ? null : toNullableInt(row.balance_before),
    balance_after: row.points === null ? null : toNullableInt(row.balance_after),
    // The change could not be read from the payload: null, never 0; the balance stays where it was.
    points_unreadable: row.points === null,
    // Points no entry explains just before this one: a webhook is missing (see the card's gaps).
    unexplained_before: toNullableInt(row.gap_before),
    reason: row.reason,
    related_id: (Object.values(row.related ?? {})[0] as string | undefined) ?? null,
    event_ids: row.event_ids,
    derived: row.derived,
  };
}

@QueryHandler(PointsHistoryQuery)
export class PointsHistoryHandler implements IQueryHandler<PointsHistoryQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ page }: PointsHistoryQuery): Promise<PointsHistoryPageDto | null> {
    // One row past the page tells whether there is a next one.
    const params: unknown[] = [page.customerId, page.limit + 1];
    const filters = [`c.customer_id = customer.resolved_id`, `e.unit = 'points'`];
    if (page.voucherId) {
      params.push(page.voucherId);
      filters.push(`e.voucher_id = $${params.length}`);
    }
    if (page.cursor) {
      const after = decodePointsHistoryCursor(page.cursor);
      params.push(after.occurredAt ?? '-infinity', after.voucherId, after.seq);
      const n = params.length;
      filters.push(`(COALESCE(e.occurred_at, '-infinity'::timestamptz), e.voucher_id, e.seq) < ($${n - 2}::timestamptz, $${n - 1}, $${n}::int)`);
    }
    const found = await customerRows(this.pool, {
      // Each shape of the statement (by card, after a cursor) is a prepared statement of its own.
      name: `customer-points-history${page.voucherId ? ':voucher' : ''}${page.cursor ? ':cursor' : ''}`,
      select: SELECT(filters),
      orderBy: ORDER_BY,
      limit: '$2',
      key: 'voucher_id',
      values: params,
    });
    if (!found) return null;
    const rows = found.slice(0, page.limit);
    const last = rows[rows.length - 1];
    const next_cursor =
      found.length > page.limit && last
        ? encodePointsHistoryCursor({ occurredAt: toIso(last.occurred_at), voucherId: last.voucher_id, seq: last.seq })
        : null;
    return { data: rows.map(present), next_cursor };
  }
}
