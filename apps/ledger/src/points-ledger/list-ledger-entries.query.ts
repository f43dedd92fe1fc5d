import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { columnNames, LEDGER_ENTRIES_TABLE } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { encodeCursor } from '../http/page-cursor';
import type { EntryCursor } from './ledger-cursors';
import type { LedgerPageDto } from './ledger.dto';
import { presentEntry } from './ledger.rows';

export interface LedgerPageQuery {
  voucherId: string;
  /** Inclusive. */
  from?: string;
  /** Exclusive. */
  to?: string;
  limit: number;
  /** Entries strictly older than this place in the chain. */
  before?: EntryCursor;
}

/**
 * A page of a card's entries, newest first: in chain order, which is source-time order with the
 * balance chain deciding at equal times.
 */
export class ListLedgerEntriesQuery extends Query<LedgerPageDto> {
  constructor(readonly page: LedgerPageQuery) {
    super();
  }
}

// Entries without a source time sort last (oldest); the cursor's `at` is null once the page reached them.
const SQL = `SELECT ${columnNames(LEDGER_ENTRIES_TABLE.columns)} FROM ledger_entries
  WHERE voucher_id = $1
    AND ($2::timestamptz IS NULL OR occurred_at >= $2)
    AND ($3::timestamptz IS NULL OR occurred_at < $3 OR occurred_at IS NULL)
    AND ($5::boolean IS NOT TRUE OR (occurred_at, seq) < ($6::timestamptz, $7::int)
         OR (occurred_at IS NULL AND ($6::timestamptz IS NOT NULL OR seq < $7::int)))
  ORDER BY occurred_at DESC NULLS LAST, seq DESC
  LIMIT $4`;

@QueryHandler(ListLedgerEntriesQuery)
export class ListLedgerEntriesHandler implements IQueryHandler<ListLedgerEntriesQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ page }: ListLedgerEntriesQuery): Promise<LedgerPageDto> {
    const result = await this.pool.query({
      name: 'ledger-page',
      text: SQL,
      // One row past the page tells whether there is a next one.
      values: [page.voucherId, page.from ?? null, page.to ?? null, page.limit + 1, page.before !== undefined, page.before?.at ?? null, page.before?.seq ?? null],
    });
    const entries = result.rows.slice(0, page.limit).map(LEDGER_ENTRIES_TABLE.fromRow);
    const last = entries[entries.length - 1];
    return {
      data: entries.map(presentEntry),
      next_cursor: result.rows.length > page.limit && last ? encodeCursor({ at: last.occurredAt, seq: last.seq }) : null,
    };
  }
}
