import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ListLoyaltyTiersHandler } from './list-loyalty-tiers.query';

/** A customer's loyalty tiers (served under /customers/{id}/loyalty-tiers). */
@Module({
  imports: [CqrsModule],
  providers: [ListLoyaltyTiersHandler],
})
export class LoyaltyTiersModule {}
