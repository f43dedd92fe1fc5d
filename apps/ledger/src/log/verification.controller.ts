import { Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { LastVerificationQuery } from './last-verification.query';
import { LastVerificationDto } from './verification.dto';

@ReadApiController('log')
export class VerificationController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('verification')
  @ApiOperation({ summary: 'The last `ledger verify`: when, how far, how many redactions it checked, and the outcome' })
  @ApiOkResponse({ type: LastVerificationDto })
  async last(): Promise<LastVerificationDto> {
    return { last: await this.queryBus.execute(new LastVerificationQuery()) };
  }
}
