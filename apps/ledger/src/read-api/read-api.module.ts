import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MinPositionGuard } from './consistency/min-position.guard';
import { CUSTOMER_QUERY_HANDLERS } from './customers/customer.queries';
import { CustomersController } from './customers/customers.controller';
import { GapsController } from './ledger/gaps.controller';
import { LEDGER_QUERY_HANDLERS } from './ledger/ledger.queries';
import { LoyaltyCardsController } from './ledger/loyalty-cards.controller';
import { ReportsController } from './ledger/reports.controller';
import { ListLoyaltyTiersHandler } from './customers/loyalty-tiers.query';
import { ProjectionsController, ProjectionStatusHandler } from './projections/projections.controller';
import { GetRewardRedemptionHandler, RewardRedemptionsController } from './reward-redemptions/reward-redemptions.controller';
import { GetVoucherHandler, VouchersController } from './vouchers/vouchers.controller';

/** REST over the read models. */
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
    ...CUSTOMER_QUERY_HANDLERS,
    ...LEDGER_QUERY_HANDLERS,
    ListLoyaltyTiersHandler,
    GetRewardRedemptionHandler,
    GetVoucherHandler,
    ProjectionStatusHandler,
  ],
})
export class ReadApiModule {}
