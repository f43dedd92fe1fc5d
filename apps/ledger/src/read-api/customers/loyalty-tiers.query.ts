import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listLoyaltyTiers } from '@ledger/projections';
import { PG_POOL } from '../../database/database.module';

type TierRows = NonNullable<Awaited<ReturnType<typeof listLoyaltyTiers>>>;

/** The customer's tier per loyalty campaign (cust_... id or source_id); null when the ledger has never seen the customer. */
export class ListLoyaltyTiersQuery extends Query<TierRows | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}

@QueryHandler(ListLoyaltyTiersQuery)
export class ListLoyaltyTiersHandler implements IQueryHandler<ListLoyaltyTiersQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute(query: ListLoyaltyTiersQuery) {
    return listLoyaltyTiers(this.pool, query.idOrSourceId);
  }
}
