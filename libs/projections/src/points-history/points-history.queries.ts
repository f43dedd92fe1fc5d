import type { Pool } from 'pg';
import { customerRows } from '../customers/customer.queries';
import { toNullableInt } from '../sql-rows';

export interface PointsHistoryPageQuery {
  /** A `cust_...` id or a source_id. */
  customerId: string;
  voucherId?: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

interface CursorPosition {
  occurredAt: string | null;
  eventId: string;
  voucherId: string;
}

export class InvalidCursorError extends Error {}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.occurredAt, position.eventId, position.voucherId])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [occurredAt, eventId, voucherId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const badTime = occurredAt !== null && (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt)));
    if (badTime || typeof eventId !== 'string' || typeof voucherId !== 'string') {
      throw new Error('shape');
    }
    return { occurredAt, eventId, voucherId };
  } catch {
    throw new InvalidCursorError('cursor is not one this API issued');
  }
}

/**
 * Newest first, one entry per event that touched a card (a delta of 0 is listed too: a reward
 * paid for with freshly added points leaves the balance unchanged but is still history).
 * Ordered by (occurred_at, event_id, voucher_id) descending; entries without a source time last.
 * Null when the customer ($1: id or source_id) is unknown.
 */
export async function pagePointsHistory(pool: Pool, query: PointsHistoryPageQuery) {
  const params: unknown[] = [query.customerId, query.limit + 1];
  const filters = ['customer_id = customer.resolved_id'];
  if (query.voucherId) {
    params.push(query.voucherId);
    filters.push(`voucher_id = $${params.length}`);
  }
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    params.push(after.occurredAt ?? '-infinity', after.eventId, after.voucherId);
    const n = params.length;
    filters.push(`(COALESCE(occurred_at, '-infinity'::timestamptz), event_id, voucher_id) < ($${n - 2}::timestamptz, $${n - 1}, $${n})`);
  }
  const found = await customerRows(pool, {
    name: `customer-points-history${query.voucherId ? ':voucher' : ''}${query.cursor ? ':cursor' : ''}`,
    select: `SELECT voucher_id, event_id, event_type, occurred_at, source_time_untrusted, delta, balance_after, reason, related_id
             FROM points_history WHERE ${filters.join(' AND ')}`,
    orderBy: `COALESCE(occurred_at, '-infinity'::timestamptz) DESC, event_id DESC, voucher_id DESC`,
    limit: '$2',
    key: 'event_id',
    values: params,
  });
  if (!found) return null;
  const rows = found.slice(0, query.limit);
  const data = rows.map((row) => ({
    voucher_id: row.voucher_id,
    event_id: row.event_id,
    event_type: row.event_type,
    occurred_at: row.occurred_at ? row.occurred_at.toISOString() : null,
    source_time_untrusted: row.source_time_untrusted,
    delta: toNullableInt(row.delta),
    balance_after: toNullableInt(row.balance_after),
    // The change or the balance could not be read from the event (or follows one that could not): null, not 0.
    points_unreadable: row.delta === null || row.balance_after === null,
    reason: row.reason,
    related_id: row.related_id,
  }));
  const last = data[data.length - 1];
  const next_cursor =
    found.length > query.limit && last
      ? encodeCursor({ occurredAt: last.occurred_at, eventId: last.event_id, voucherId: last.voucher_id })
      : null;
  return { data, next_cursor };
}
