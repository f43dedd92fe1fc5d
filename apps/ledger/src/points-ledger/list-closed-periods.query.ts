import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { CLOSED_PERIODS_TABLE } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { closingOf } from './closed-periods';
import type { PeriodClosingDto } from './ledger.dto';

/** Every month ever closed, newest first, with its state (closed or reopened). */
export class ListClosedPeriodsQuery extends Query<PeriodClosingDto[]> {}

@QueryHandler(ListClosedPeriodsQuery)
export class ListClosedPeriodsHandler implements IQueryHandler<ListClosedPeriodsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(): Promise<PeriodClosingDto[]> {
    // The kept reports stay out: the report route answers them, one month at a time.
    const { rows } = await this.pool.query(`SELECT *, NULL AS reports FROM closed_periods ORDER BY month DESC`);
    return rows.map((row) => closingOf(CLOSED_PERIODS_TABLE.fromRow(row)));
  }
}
