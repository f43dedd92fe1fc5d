import { Get, Inject, NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { findVoucher } from '@ledger/projections';
import { PG_POOL } from '../../database/database.module';
import { SafeTextParam } from '../../http/validation/param-pipes';
import { ReadApiController } from '../read-api-controller.decorator';

type VoucherView = NonNullable<Awaited<ReturnType<typeof findVoucher>>>;

export class GetVoucherQuery extends Query<VoucherView | null> {
  constructor(readonly idOrCode: string) {
    super();
  }
}

@QueryHandler(GetVoucherQuery)
export class GetVoucherHandler implements IQueryHandler<GetVoucherQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute(query: GetVoucherQuery) {
    return findVoucher(this.pool, query.idOrCode);
  }
}

@ReadApiController('vouchers')
export class VouchersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':idOrCode')
  @ApiOperation({ summary: 'A held voucher by id (v_...) or code, with its holder' })
  async get(@SafeTextParam('idOrCode') idOrCode: string) {
    const voucher = await this.queryBus.execute(new GetVoucherQuery(idOrCode));
    if (!voucher) throw new NotFoundException(`no voucher with id or code ${idOrCode}`);
    return voucher;
  }
}
