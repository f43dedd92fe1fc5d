import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { LEDGER_ENTRIES_TABLE } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { cardChainPage, CardChainPageQuery } from './card-chain-page';
import type { LedgerPageDto } from './ledger.dto';
import { presentEntry } from './ledger.rows';

export type { CardChainPageQuery as LedgerPageQuery } from './card-chain-page';

/**
 * A page of a card's entries, newest first: in chain order, which is source-time order with the
 * balance chain deciding at equal times.
 */
export class ListLedgerEntriesQuery extends Query<LedgerPageDto> {
  constructor(readonly page: CardChainPageQuery) {
    super();
  }
}

@QueryHandler(ListLedgerEntriesQuery)
export class ListLedgerEntriesHandler implements IQueryHandler<ListLedgerEntriesQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ page }: ListLedgerEntriesQuery): Promise<LedgerPageDto> {
    const { rows, nextCursor } = await cardChainPage(this.pool, LEDGER_ENTRIES_TABLE, (e) => e.occurredAt, page);
    return { data: rows.map(presentEntry), next_cursor: nextCursor };
  }
}
