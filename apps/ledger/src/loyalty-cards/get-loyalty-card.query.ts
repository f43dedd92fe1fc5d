import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findLoyaltyCard } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** A card by voucher id or code, at its newest snapshot, with its status; null when unknown. */
export class GetLoyaltyCardQuery extends Query<Awaited<ReturnType<typeof findLoyaltyCard>>> {
  constructor(readonly idOrCode: string) {
    super();
  }
}

@QueryHandler(GetLoyaltyCardQuery)
export class GetLoyaltyCardHandler implements IQueryHandler<GetLoyaltyCardQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrCode }: GetLoyaltyCardQuery) {
    return findLoyaltyCard(this.pool, idOrCode);
  }
}
