import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { gapsPage } from '@ledger/projections';
import type { GapsPageQuery } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** A page of the open gaps of every card (or one campaign). */
export class ListGapsQuery extends Query<Awaited<ReturnType<typeof gapsPage>>> {
  constructor(readonly page: GapsPageQuery) {
    super();
  }
}

@QueryHandler(ListGapsQuery)
export class ListGapsHandler implements IQueryHandler<ListGapsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ page }: ListGapsQuery) {
    return gapsPage(this.pool, page);
  }
}
