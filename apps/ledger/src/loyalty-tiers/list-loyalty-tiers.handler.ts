import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listLoyaltyTiers } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { ListLoyaltyTiersQuery } from './list-loyalty-tiers.query';

@QueryHandler(ListLoyaltyTiersQuery)
export class ListLoyaltyTiersHandler implements IQueryHandler<ListLoyaltyTiersQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId }: ListLoyaltyTiersQuery) {
    return listLoyaltyTiers(this.pool, idOrSourceId);
  }
}
