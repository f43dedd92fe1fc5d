import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { DeadLetter, listDeadLetters } from '@ledger/event-store';
import { PG_POOL } from '../database/database.module';
import { ListDeadLettersQuery } from './list-dead-letters.query';

@QueryHandler(ListDeadLettersQuery)
export class ListDeadLettersHandler implements IQueryHandler<ListDeadLettersQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ projection }: ListDeadLettersQuery): Promise<DeadLetter[]> {
    return listDeadLetters(this.pool, projection);
  }
}
