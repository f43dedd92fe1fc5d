import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MinPositionGuard } from './consistency/min-position.guard';
import { CustomersController } from './customers/customers.controller';
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
  controllers: [CustomersController, RewardRedemptionsController, VouchersController, ProjectionsController],
  providers: [
    MinPositionGuard,
    GetCustomerHandler,
    ListLoyaltyCardsHandler,
    PointsHistoryHandler,
    ListRewardRedemptionsHandler,
    ListVoucherHoldingsHandler,
    GetRewardRedemptionHandler,
    GetVoucherHandler,
    ProjectionStatusHandler,
  ],
})
export class ReadApiModule {}
