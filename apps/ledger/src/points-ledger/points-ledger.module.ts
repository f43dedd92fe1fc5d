import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GapsController } from './gaps.controller';
import { ReportsController } from './reports.controller';
import { PointValuesController } from './point-values.controller';
import { ListLedgerEntriesHandler } from './list-ledger-entries.handler';
import { CardGapsHandler } from './card-gaps.handler';
import { ListGapsHandler } from './list-gaps.handler';
import { GetCardAsOfHandler } from './get-card-as-of.handler';
import { GetPointsReportHandler } from './get-points-report.handler';
import { PointsHistoryHandler } from './points-history.handler';

/** The points ledger: entries, gaps, as-of balances, the period report, point values. */
@Module({
  imports: [CqrsModule],
  controllers: [GapsController, ReportsController, PointValuesController],
  providers: [ListLedgerEntriesHandler, CardGapsHandler, ListGapsHandler, GetCardAsOfHandler, GetPointsReportHandler, PointsHistoryHandler],
})
export class PointsLedgerModule {}
