import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { pagePointsHistory } from '@ledger/projections';
import type { PointsHistoryPageQuery } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/**
 * One page of a customer's points history, newest first; null when the customer was never seen.
 * A cursor this API did not issue makes the handler throw InvalidCursorError.
 */
export class PointsHistoryQuery extends Query<Awaited<ReturnType<typeof pagePointsHistory>>> {
  constructor(readonly page: PointsHistoryPageQuery) {
    super();
  }
}

@QueryHandler(PointsHistoryQuery)
export class PointsHistoryHandler implements IQueryHandler<PointsHistoryQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ page }: PointsHistoryQuery) {
    return pagePointsHistory(this.pool, page);
  }
}
