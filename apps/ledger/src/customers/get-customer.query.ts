import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findCustomer } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { CustomerDto } from './customer.dto';

/** A customer with loyalty totals over their cards, by `cust_...` id or source id; null when never seen. */
export class GetCustomerQuery extends Query<CustomerDto | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId }: GetCustomerQuery): Promise<CustomerDto | null> {
    return findCustomer(this.pool, idOrSourceId);
  }
}
