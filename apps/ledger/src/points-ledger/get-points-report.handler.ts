import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { pointsReport } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GetPointsReportQuery } from './get-points-report.query';

@QueryHandler(GetPointsReportQuery)
export class GetPointsReportHandler implements IQueryHandler<GetPointsReportQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ report }: GetPointsReportQuery) {
    return pointsReport(this.pool, report);
  }
}
