import { Query } from '@nestjs/cqrs';
import type { findCustomer } from '@ledger/projections';

/** A customer with loyalty totals over their cards, by `cust_...` id or source id; null when never seen. */
export class GetCustomerQuery extends Query<Awaited<ReturnType<typeof findCustomer>>> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}
