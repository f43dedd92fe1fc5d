import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { VouchersController } from './vouchers.controller';
import { GetVoucherHandler } from './get-voucher.handler';
import { ListVoucherHoldingsHandler } from './list-voucher-holdings.handler';

/** The vouchers each customer holds, and GET /vouchers/{id or code}. */
@Module({
  imports: [CqrsModule],
  controllers: [VouchersController],
  providers: [GetVoucherHandler, ListVoucherHoldingsHandler],
})
export class VoucherHoldingsModule {}
