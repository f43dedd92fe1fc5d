import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { cardGaps } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { CardGapsQuery } from './card-gaps.query';

@QueryHandler(CardGapsQuery)
export class CardGapsHandler implements IQueryHandler<CardGapsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ voucherId }: CardGapsQuery) {
    return cardGaps(this.pool, voucherId);
  }
}
