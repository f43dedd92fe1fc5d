import { Query } from '@nestjs/cqrs';
import type { findCustomerAsOf } from '@ledger/projections';

/** A customer with totals over their cards as they stood at a source time; null when never seen. */
export class GetCustomerAsOfQuery extends Query<Awaited<ReturnType<typeof findCustomerAsOf>>> {
  constructor(readonly idOrSourceId: string, readonly asOf: string) {
    super();
  }
}
