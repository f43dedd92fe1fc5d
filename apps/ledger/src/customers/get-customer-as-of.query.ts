import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findCustomerAsOf } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { CustomerDto } from './customer.dto';

/** A customer with totals over their cards as they stood at a source time; null when never seen. */
export class GetCustomerAsOfQuery extends Query<CustomerDto | null> {
  constructor(readonly idOrSourceId: string, readonly asOf: string) {
    super();
  }
}

@QueryHandler(GetCustomerAsOfQuery)
export class GetCustomerAsOfHandler implements IQueryHandler<GetCustomerAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId, asOf }: GetCustomerAsOfQuery): Promise<CustomerDto | null> {
    return findCustomerAsOf(this.pool, idOrSourceId, asOf);
  }
}
