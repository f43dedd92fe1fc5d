import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MinPositionGuard } from './consistency/min-position.guard';
import { CustomersController } from './customers/customers.controller';
import { GetCustomerAsOfHandler } from './customers/get-customer-as-of.handler';
import { ListCardsAsOfHandler } from './customers/list-cards-as-of.handler';
import { ListLoyaltyTiersHandler } from './customers/list-loyalty-tiers.handler';
import { CardGapsHandler } from './ledger/card-gaps.handler';
import { GapsController } from './ledger/gaps.controller';
import { GetCardAsOfHandler } from './ledger/get-card-as-of.handler';
import { GetLoyaltyCardHandler } from './ledger/get-loyalty-card.handler';
import { GetPointsReportHandler } from './ledger/get-points-report.handler';
import { ListGapsHandler } from './ledger/list-gaps.handler';
import { ListLedgerEntriesHandler } from './ledger/list-ledger-entries.handler';
import { LoyaltyCardsController } from './ledger/loyalty-cards.controller';
import { ReportsController } from './ledger/reports.controller';
import { GetCustomerHandler } from './customers/get-customer.handler';
import { ListLoyaltyCardsHandler } from './customers/list-loyalty-cards.handler';
import { ListRewardRedemptionsHandler } from './customers/list-reward-redemptions.handler';
import { ListVoucherHoldingsHandler } from './customers/list-voucher-holdings.handler';
import { PointsHistoryHandler } from './customers/points-history.handler';
import { ProjectionStatusHandler } from './projections/projection-status.handler';
import { ProjectionsController } from './projections/projections.controller';
import { GetRewardRedemptionHandler } from './reward-redemptions/get-reward-redemption.handler';
import { RewardRedemptionsController } from './reward-redemptions/reward-redemptions.controller';
import { GetVoucherHandler } from './vouchers/get-voucher.handler';
import { VouchersController } from './vouchers/vouchers.controller';

/**
 * REST over the read models. Controllers only ask the QueryBus; each query (`*.query.ts`) has its
 * handler (`*.handler.ts`) beside it, which calls the read model's query function.
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    CustomersController,
    LoyaltyCardsController,
    GapsController,
    ReportsController,
    RewardRedemptionsController,
    VouchersController,
    ProjectionsController,
  ],
  providers: [
    MinPositionGuard,
    GetCustomerHandler,
    ListLoyaltyCardsHandler,
    PointsHistoryHandler,
    ListRewardRedemptionsHandler,
    ListVoucherHoldingsHandler,
    ListLoyaltyTiersHandler,
    GetCustomerAsOfHandler,
    ListCardsAsOfHandler,
    GetLoyaltyCardHandler,
    GetCardAsOfHandler,
    ListLedgerEntriesHandler,
    CardGapsHandler,
    ListGapsHandler,
    GetPointsReportHandler,
    GetRewardRedemptionHandler,
    GetVoucherHandler,
    ProjectionStatusHandler,
  ],
})
export class ReadApiModule {}
