import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findLoyaltyCard } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GetLoyaltyCardQuery } from './get-loyalty-card.query';

@QueryHandler(GetLoyaltyCardQuery)
export class GetLoyaltyCardHandler implements IQueryHandler<GetLoyaltyCardQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrCode }: GetLoyaltyCardQuery) {
    return findLoyaltyCard(this.pool, idOrCode);
  }
}
