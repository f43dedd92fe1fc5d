import type { Pool } from 'pg';
import { columnNames, type TableMapping } from '@ledger/projections';
import { encodeCursor } from '../http/page-cursor';
import type { EntryCursor } from './ledger-cursors';

/** A page of one card's chain (its ledger entries, its pending movements), newest first. */
export interface CardChainPageQuery {
  voucherId: string;
  /** Inclusive. */
  from?: string;
  /** Exclusive. */
  to?: string;
  limit: number;
  /** Rows strictly older than this place in the chain. */
  before?: EntryCursor;
}

const sqlFor = (table: string, columns: string) => `SELECT ${columns} FROM ${table}
  WHERE voucher_id = $1
    AND ($2::timestamptz IS NULL OR occurred_at >= $2)
    AND ($3::timestamptz IS NULL OR occurred_at < $3 OR occurred_at IS NULL)
    AND ($5::boolean IS NOT TRUE OR (occurred_at, seq) < ($6::timestamptz, $7::int)
         OR (occurred_at IS NULL AND ($6::timestamptz IS NOT NULL OR seq < $7::int)))
  ORDER BY occurred_at DESC NULLS LAST, seq DESC
  LIMIT $4`;

/**
 * The one paging of a card's chain, for every table kept in chain order by (occurred_at, seq):
 * rows without a source time sort last (oldest), and the cursor's `at` is null once the page reached them.
 */
export async function cardChainPage<T extends { seq: number }>(
  pool: Pool,
  mapping: TableMapping<T>,
  atOf: (row: T) => string | null,
  page: CardChainPageQuery,
): Promise<{ rows: T[]; nextCursor: string | null }> {
  const result = await pool.query({
    name: `${mapping.table}-card-page`,
    text: sqlFor(mapping.table, columnNames(mapping.columns)),
    // One row past the page tells whether there is a next one.
    values: [page.voucherId, page.from ?? null, page.to ?? null, page.limit + 1, page.before !== undefined, page.before?.at ?? null, page.before?.seq ?? null],
  });
  const rows = result.rows.slice(0, page.limit).map(mapping.fromRow);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: result.rows.length > page.limit && last ? encodeCursor({ at: atOf(last), seq: last.seq }) : null };
}
