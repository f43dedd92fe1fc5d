import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { ledgerPage } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { ListLedgerEntriesQuery } from './list-ledger-entries.query';

@QueryHandler(ListLedgerEntriesQuery)
export class ListLedgerEntriesHandler implements IQueryHandler<ListLedgerEntriesQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ page }: ListLedgerEntriesQuery) {
    return ledgerPage(this.pool, page);
  }
}
