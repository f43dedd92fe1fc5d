import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listCardsAsOf } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { CardAsOfDto } from '../points-ledger/ledger.dto';

/** The customer's cards that had ledger entries at a source time, as they stood then; null when never seen. */
export class ListCardsAsOfQuery extends Query<CardAsOfDto[] | null> {
  constructor(readonly idOrSourceId: string, readonly asOf: string) {
    super();
  }
}

@QueryHandler(ListCardsAsOfQuery)
export class ListCardsAsOfHandler implements IQueryHandler<ListCardsAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId, asOf }: ListCardsAsOfQuery): Promise<CardAsOfDto[] | null> {
    return listCardsAsOf(this.pool, idOrSourceId, asOf);
  }
}
