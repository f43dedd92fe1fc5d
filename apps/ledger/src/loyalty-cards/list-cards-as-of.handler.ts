import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listCardsAsOf } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { ListCardsAsOfQuery } from './list-cards-as-of.query';

@QueryHandler(ListCardsAsOfQuery)
export class ListCardsAsOfHandler implements IQueryHandler<ListCardsAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId, asOf }: ListCardsAsOfQuery) {
    return listCardsAsOf(this.pool, idOrSourceId, asOf);
  }
}
