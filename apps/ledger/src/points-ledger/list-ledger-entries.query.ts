import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { ledgerPage } from '@ledger/projections';
import type { LedgerPageQuery } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** A page of a card's ledger entries, newest first. */
export class ListLedgerEntriesQuery extends Query<Awaited<ReturnType<typeof ledgerPage>>> {
  constructor(readonly page: LedgerPageQuery) {
    super();
  }
}

@QueryHandler(ListLedgerEntriesQuery)
export class ListLedgerEntriesHandler implements IQueryHandler<ListLedgerEntriesQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ page }: ListLedgerEntriesQuery) {
    return ledgerPage(this.pool, page);
  }
}
