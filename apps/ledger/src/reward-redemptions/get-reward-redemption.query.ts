import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findRewardRedemption } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** One reward redemption (rewr_...) with its transitions; null when unknown. */
export class GetRewardRedemptionQuery extends Query<Awaited<ReturnType<typeof findRewardRedemption>>> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetRewardRedemptionQuery)
export class GetRewardRedemptionHandler implements IQueryHandler<GetRewardRedemptionQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ id }: GetRewardRedemptionQuery) {
    return findRewardRedemption(this.pool, id);
  }
}
