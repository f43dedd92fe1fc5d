import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { VouchersController } from './vouchers.controller';
import { GetVoucherHandler } from './get-voucher.query';
import { ListVoucherHoldingsHandler } from './list-voucher-holdings.query';

/** The vouchers each customer holds, and GET /vouchers/{id or code}. */
@Module({
  imports: [CqrsModule],
  controllers: [VouchersController],
  providers: [GetVoucherHandler, ListVoucherHoldingsHandler],
})
export class VoucherHoldingsModule {}
