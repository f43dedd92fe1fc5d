import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { listVoucherHoldings } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { ListVoucherHoldingsQuery } from './list-voucher-holdings.query';

@QueryHandler(ListVoucherHoldingsQuery)
export class ListVoucherHoldingsHandler implements IQueryHandler<ListVoucherHoldingsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrSourceId, status }: ListVoucherHoldingsQuery) {
    return listVoucherHoldings(this.pool, idOrSourceId, status);
  }
}
