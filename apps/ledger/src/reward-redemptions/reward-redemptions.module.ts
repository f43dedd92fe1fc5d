import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RewardRedemptionsController } from './reward-redemptions.controller';
import { GetRewardRedemptionHandler } from './get-reward-redemption.query';
import { ListRewardRedemptionsHandler } from './list-reward-redemptions.query';

/** Reward redemptions and their state transitions. */
@Module({
  imports: [CqrsModule],
  controllers: [RewardRedemptionsController],
  providers: [GetRewardRedemptionHandler, ListRewardRedemptionsHandler],
})
export class RewardRedemptionsModule {}
