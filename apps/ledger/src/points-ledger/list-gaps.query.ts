import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { LEDGER_GAPS_TABLE } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { encodeCursor } from '../http/page-cursor';
import type { GapCursor } from './ledger-cursors';
import { GAP_COLUMNS, presentGap } from './ledger.rows';
import type { LedgerGapPageDto } from './ledger.dto';

export interface GapsPageQuery {
  campaignId?: string;
  limit: number;
  after?: GapCursor;
}

/** A page of the open gaps of every card (or one campaign's), by card. */
export class ListGapsQuery extends Query<LedgerGapPageDto> {
  constructor(readonly page: GapsPageQuery) {
    super();
  }
}

const SQL = `SELECT ${GAP_COLUMNS} FROM ledger_gaps
  WHERE ($1::text IS NULL OR campaign_id = $1)
    AND ($2::text IS NULL OR (voucher_id, entry_key) > ($2, $3::text))
  ORDER BY voucher_id, entry_key
  LIMIT $4`;

@QueryHandler(ListGapsQuery)
export class ListGapsHandler implements IQueryHandler<ListGapsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ page }: ListGapsQuery): Promise<LedgerGapPageDto> {
    const result = await this.pool.query({
      name: 'ledger-gaps-page',
      text: SQL,
      // One row past the page tells whether there is a next one.
      values: [page.campaignId ?? null, page.after?.voucherId ?? null, page.after?.entryKey ?? null, page.limit + 1],
    });
    const gaps = result.rows.slice(0, page.limit).map(LEDGER_GAPS_TABLE.fromRow);
    const last = gaps[gaps.length - 1];
    return {
      data: gaps.map(presentGap),
      next_cursor: result.rows.length > page.limit && last ? encodeCursor({ voucherId: last.voucherId, entryKey: last.entryKey }) : null,
    };
  }
}
