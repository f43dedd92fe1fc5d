import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { pointsReport } from '@ledger/projections';
import type { PointsReportQuery } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** The period report per campaign: opening, movements, closing, liability. */
export class GetPointsReportQuery extends Query<Awaited<ReturnType<typeof pointsReport>>> {
  constructor(readonly report: PointsReportQuery) {
    super();
  }
}

@QueryHandler(GetPointsReportQuery)
export class GetPointsReportHandler implements IQueryHandler<GetPointsReportQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ report }: GetPointsReportQuery) {
    return pointsReport(this.pool, report);
  }
}
