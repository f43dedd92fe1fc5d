import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { pagePointsHistory } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { PointsHistoryQuery } from './points-history.query';

@QueryHandler(PointsHistoryQuery)
export class PointsHistoryHandler implements IQueryHandler<PointsHistoryQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ page }: PointsHistoryQuery) {
    return pagePointsHistory(this.pool, page);
  }
}
