import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findCustomer } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GetCustomerQuery } from './get-customer.query';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId }: GetCustomerQuery) {
    return findCustomer(this.pool, idOrSourceId);
  }
}
