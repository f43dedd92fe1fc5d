import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listRewardRedemptions } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { ListRewardRedemptionsQuery } from './list-reward-redemptions.query';

@QueryHandler(ListRewardRedemptionsQuery)
export class ListRewardRedemptionsHandler implements IQueryHandler<ListRewardRedemptionsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId, state }: ListRewardRedemptionsQuery) {
    return listRewardRedemptions(this.pool, idOrSourceId, state);
  }
}
