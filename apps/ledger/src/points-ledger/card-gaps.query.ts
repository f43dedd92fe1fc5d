import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { cardGaps } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** A card's open gaps. */
export class CardGapsQuery extends Query<Awaited<ReturnType<typeof cardGaps>>> {
  constructor(readonly voucherId: string) {
    super();
  }
}

@QueryHandler(CardGapsQuery)
export class CardGapsHandler implements IQueryHandler<CardGapsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ voucherId }: CardGapsQuery) {
    return cardGaps(this.pool, voucherId);
  }
}
