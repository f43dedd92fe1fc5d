import { Query } from '@nestjs/cqrs';
import type { listVoucherHoldings } from '@ledger/projections';

/** The vouchers a customer holds, optionally in one status; null when the customer was never seen. */
export class ListVoucherHoldingsQuery extends Query<Awaited<ReturnType<typeof listVoucherHoldings>>> {
  constructor(
    readonly idOrSourceId: string,
    readonly status?: string,
  ) {
    super();
  }
}
