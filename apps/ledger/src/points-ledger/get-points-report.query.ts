import { Query } from '@nestjs/cqrs';
import type { pointsReport, PointsReportQuery } from '@ledger/projections';

/** The period report per campaign: opening, movements, closing, liability. */
export class GetPointsReportQuery extends Query<Awaited<ReturnType<typeof pointsReport>>> {
  constructor(readonly report: PointsReportQuery) {
    super();
  }
}
