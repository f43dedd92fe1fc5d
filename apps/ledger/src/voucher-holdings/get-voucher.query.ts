import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findVoucher } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { VoucherDto } from './voucher.dto';

/** A held voucher by id (v_...) or code, with its holder; null when unknown. */
export class GetVoucherQuery extends Query<VoucherDto | null> {
  constructor(readonly idOrCode: string) {
    super();
  }
}

@QueryHandler(GetVoucherQuery)
export class GetVoucherHandler implements IQueryHandler<GetVoucherQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ idOrCode }: GetVoucherQuery): Promise<VoucherDto | null> {
    return findVoucher(this.pool, idOrCode);
  }
}
