import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DeadLetter, listDeadLetters } from '@ledger/event-store';
import { PG_POOL } from '../database/database.module';

/** Events a projection could not apply, of one projection or of all. */
export class ListDeadLettersQuery extends Query<DeadLetter[]> {
  constructor(readonly projection?: string) {
    super();
  }
}

@QueryHandler(ListDeadLettersQuery)
export class ListDeadLettersHandler implements IQueryHandler<ListDeadLettersQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ projection }: ListDeadLettersQuery): Promise<DeadLetter[]> {
    return listDeadLetters(this.pool, projection);
  }
}
