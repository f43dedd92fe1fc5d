import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listLoyaltyTiers } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { LoyaltyTierDto } from './loyalty-tier.dto';

/** The customer's tier per loyalty campaign and its history; null when never seen. */
export class ListLoyaltyTiersQuery extends Query<LoyaltyTierDto[] | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}

@QueryHandler(ListLoyaltyTiersQuery)
export class ListLoyaltyTiersHandler implements IQueryHandler<ListLoyaltyTiersQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId }: ListLoyaltyTiersQuery): Promise<LoyaltyTierDto[] | null> {
    return listLoyaltyTiers(this.pool, idOrSourceId);
  }
}
