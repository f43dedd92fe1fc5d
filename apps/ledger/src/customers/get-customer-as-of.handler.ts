import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findCustomerAsOf } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GetCustomerAsOfQuery } from './get-customer-as-of.query';

@QueryHandler(GetCustomerAsOfQuery)
export class GetCustomerAsOfHandler implements IQueryHandler<GetCustomerAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId, asOf }: GetCustomerAsOfQuery) {
    return findCustomerAsOf(this.pool, idOrSourceId, asOf);
  }
}
