import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listVoucherHoldings } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { VoucherHoldingDto } from './voucher.dto';

/** The vouchers a customer holds, optionally in one status; null when the customer was never seen. */
export class ListVoucherHoldingsQuery extends Query<VoucherHoldingDto[] | null> {
  constructor(
    readonly idOrSourceId: string,
    readonly status?: string,
  ) {
    super();
  }
}

@QueryHandler(ListVoucherHoldingsQuery)
export class ListVoucherHoldingsHandler implements IQueryHandler<ListVoucherHoldingsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId, status }: ListVoucherHoldingsQuery): Promise<VoucherHoldingDto[] | null> {
    return listVoucherHoldings(this.pool, idOrSourceId, status);
  }
}
