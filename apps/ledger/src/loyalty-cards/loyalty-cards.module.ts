import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoyaltyCardsController } from './loyalty-cards.controller';
import { GetLoyaltyCardHandler } from './get-loyalty-card.query';
import { ListLoyaltyCardsHandler } from './list-loyalty-cards.query';
import { ListCardsAsOfHandler } from './list-cards-as-of.query';

/** GET /loyalty-cards/{id} and a customer's cards, now or as of a source time. */
@Module({
  imports: [CqrsModule],
  controllers: [LoyaltyCardsController],
  providers: [GetLoyaltyCardHandler, ListLoyaltyCardsHandler, ListCardsAsOfHandler],
})
export class LoyaltyCardsModule {}
