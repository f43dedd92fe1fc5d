import { Get, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiErrorDto } from '../http/api-error.dto';
import { VoucherDto } from './voucher.dto';
import { SafeTextParam } from '../http/validation/param-pipes';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { GetVoucherQuery } from './get-voucher.query';

@ReadApiController('vouchers')
export class VouchersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':idOrCode')
  @ApiOperation({ summary: 'A held voucher by id (v_...) or code, with its holder' })
  @ApiOkResponse({ type: VoucherDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'No held voucher with this id or code' })
  async get(@SafeTextParam('idOrCode') idOrCode: string) {
    const voucher = await this.queryBus.execute(new GetVoucherQuery(idOrCode));
    if (!voucher) throw new NotFoundException(`no voucher with id or code ${idOrCode}`);
    return voucher;
  }
}
