import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findCardAsOf } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { CardAsOfDto } from './ledger.dto';

/** A card as it stood at a source time, from the ledger; null before its first entry. */
export class GetCardAsOfQuery extends Query<CardAsOfDto | null> {
  constructor(readonly idOrCode: string, readonly asOf: string) {
    super();
  }
}

@QueryHandler(GetCardAsOfQuery)
export class GetCardAsOfHandler implements IQueryHandler<GetCardAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrCode, asOf }: GetCardAsOfQuery): Promise<CardAsOfDto | null> {
    return findCardAsOf(this.pool, idOrCode, asOf);
  }
}
