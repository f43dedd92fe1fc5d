import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findRewardRedemption } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GetRewardRedemptionQuery } from './get-reward-redemption.query';

@QueryHandler(GetRewardRedemptionQuery)
export class GetRewardRedemptionHandler implements IQueryHandler<GetRewardRedemptionQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ id }: GetRewardRedemptionQuery) {
    return findRewardRedemption(this.pool, id);
  }
}
