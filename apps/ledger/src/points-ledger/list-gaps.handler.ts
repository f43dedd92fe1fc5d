import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { gapsPage } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { ListGapsQuery } from './list-gaps.query';

@QueryHandler(ListGapsQuery)
export class ListGapsHandler implements IQueryHandler<ListGapsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ page }: ListGapsQuery) {
    return gapsPage(this.pool, page);
  }
}
