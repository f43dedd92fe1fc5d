import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GapsController } from './gaps.controller';
import { ReportsController } from './reports.controller';
import { PointValuesController } from './point-values.controller';
import { ListLedgerEntriesHandler } from './list-ledger-entries.query';
import { CardGapsHandler } from './card-gaps.query';
import { ListGapsHandler } from './list-gaps.query';
import { GetCardAsOfHandler } from './get-card-as-of.query';
import { GetPointsReportHandler } from './get-points-report.query';
import { PointsHistoryHandler } from './points-history.query';
import { ListPendingMovementsHandler } from './list-pending-movements.query';
import { GetRedemptionTriangleHandler } from './get-redemption-triangle.query';
import { ListClosedPeriodsHandler } from './list-closed-periods.query';
import { ClosePeriodHandler, ReopenPeriodHandler } from './period-closing.command';
import { PeriodsController } from './periods.controller';

/** The points ledger: entries, gaps, pending movements, as-of balances, the period report with its deferred revenue, the redemption triangle, point values and revenue estimates, closing a month. */
@Module({
  imports: [CqrsModule],
  controllers: [GapsController, ReportsController, PointValuesController, PeriodsController],
  providers: [ListLedgerEntriesHandler, CardGapsHandler, ListGapsHandler, GetCardAsOfHandler, GetPointsReportHandler, PointsHistoryHandler, ListPendingMovementsHandler, GetRedemptionTriangleHandler, ListClosedPeriodsHandler, ClosePeriodHandler, ReopenPeriodHandler],
})
export class PointsLedgerModule {}
