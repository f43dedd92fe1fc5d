import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listLoyaltyCards } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { ListLoyaltyCardsQuery } from './list-loyalty-cards.query';

@QueryHandler(ListLoyaltyCardsQuery)
export class ListLoyaltyCardsHandler implements IQueryHandler<ListLoyaltyCardsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId }: ListLoyaltyCardsQuery) {
    return listLoyaltyCards(this.pool, idOrSourceId);
  }
}
