import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listLoyaltyCards } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** A customer's loyalty cards, by `cust_...` id or source id; null when the customer was never seen. */
export class ListLoyaltyCardsQuery extends Query<Awaited<ReturnType<typeof listLoyaltyCards>>> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}

@QueryHandler(ListLoyaltyCardsQuery)
export class ListLoyaltyCardsHandler implements IQueryHandler<ListLoyaltyCardsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId }: ListLoyaltyCardsQuery) {
    return listLoyaltyCards(this.pool, idOrSourceId);
  }
}
