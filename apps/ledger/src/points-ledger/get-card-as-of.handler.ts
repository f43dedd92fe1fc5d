import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findCardAsOf } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GetCardAsOfQuery } from './get-card-as-of.query';

@QueryHandler(GetCardAsOfQuery)
export class GetCardAsOfHandler implements IQueryHandler<GetCardAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrCode, asOf }: GetCardAsOfQuery) {
    return findCardAsOf(this.pool, idOrCode, asOf);
  }
}
