import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findVoucher } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GetVoucherQuery } from './get-voucher.query';

@QueryHandler(GetVoucherQuery)
export class GetVoucherHandler implements IQueryHandler<GetVoucherQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrCode }: GetVoucherQuery) {
    return findVoucher(this.pool, idOrCode);
  }
}
