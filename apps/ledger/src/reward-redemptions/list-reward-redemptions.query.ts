import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listRewardRedemptions } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** A customer's reward redemptions, optionally in one state; null when the customer was never seen. */
export class ListRewardRedemptionsQuery extends Query<Awaited<ReturnType<typeof listRewardRedemptions>>> {
  constructor(
    readonly idOrSourceId: string,
    readonly state?: string,
  ) {
    super();
  }
}

@QueryHandler(ListRewardRedemptionsQuery)
export class ListRewardRedemptionsHandler implements IQueryHandler<ListRewardRedemptionsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId, state }: ListRewardRedemptionsQuery) {
    return listRewardRedemptions(this.pool, idOrSourceId, state);
  }
}
