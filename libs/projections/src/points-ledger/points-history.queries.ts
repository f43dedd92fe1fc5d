import type { Pool } from 'pg';
import { customerRows } from '../customer-view/customer-view.queries';
import { toIso, toNullableInt } from '../sql-rows';

export interface PointsHistoryPageQuery {
  /** A `cust_...` id or a source_id. */
  customerId: string;
  voucherId?: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

/** Where a page ended: the last entry's time, card and place in that card's chain. */
interface CursorPosition {
  occurredAt: string | null;
  voucherId: string;
  seq: number;
}

export class InvalidCursorError extends Error {}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.occurredAt, position.voucherId, position.seq])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [occurredAt, voucherId, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const badTime = occurredAt !== null && (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt)));
    if (badTime || typeof voucherId !== 'string' || !Number.isSafeInteger(seq) || seq < 0 || seq > 2 ** 31) throw new Error('shape');
    return { occurredAt, voucherId, seq };
  } catch {
    throw new InvalidCursorError('cursor is not one this API issued');
  }
}

/**
 * The customer's points history: the ledger entries of their cards (one per Voucherify
 * transaction, and one per change seen only in a snapshot), newest first. Gift-card credits are
 * not points and are not listed. Ordered by (occurred_at, voucher_id, seq) descending; entries
 * without a source time last. Null when the customer ($1: id or source_id) is unknown.
 */
export async function pagePointsHistory(pool: Pool, query: PointsHistoryPageQuery) {
  const params: unknown[] = [query.customerId, query.limit + 1];
  const filters = [`c.customer_id = customer.resolved_id`, `e.unit = 'points'`];
  if (query.voucherId) {
    params.push(query.voucherId);
    filters.push(`e.voucher_id = $${params.length}`);
  }
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    params.push(after.occurredAt ?? '-infinity', after.voucherId, after.seq);
    const n = params.length;
    filters.push(`(COALESCE(e.occurred_at, '-infinity'::timestamptz), e.voucher_id, e.seq) < ($${n - 2}::timestamptz, $${n - 1}, $${n}::int)`);
  }
  const found = await customerRows(pool, {
    name: `customer-points-history${query.voucherId ? ':voucher' : ''}${query.cursor ? ':cursor' : ''}`,
    select: `SELECT e.voucher_id, e.seq, e.event_ids, e.event_type, e.occurred_at, e.occurred_at_untrusted, e.points, e.balance_before,
                    e.balance_after, e.reason, e.related, e.transaction_id, e.transaction_type, e.kind, e.derived, e.gap_before
             FROM ledger_entries e JOIN loyalty_cards c ON c.voucher_id = e.voucher_id WHERE ${filters.join(' AND ')}`,
    orderBy: `COALESCE(occurred_at, '-infinity'::timestamptz) DESC, voucher_id DESC, seq DESC`,
    limit: '$2',
    key: 'voucher_id',
    values: params,
  });
  if (!found) return null;
  const rows = found.slice(0, query.limit);
  const data = rows.map((row) => ({
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
  }));
  const last = rows[rows.length - 1];
  const next_cursor =
    found.length > query.limit && last
      ? encodeCursor({ occurredAt: toIso(last.occurred_at), voucherId: last.voucher_id, seq: last.seq })
      : null;
  return { data, next_cursor };
}
