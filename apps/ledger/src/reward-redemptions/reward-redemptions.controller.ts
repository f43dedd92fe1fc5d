import { Get, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiErrorDto } from '../http/api-error.dto';
import { RewardRedemptionDto } from './reward-redemption.dto';
import { SafeTextParam } from '../http/validation/param-pipes';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { GetRewardRedemptionQuery } from './get-reward-redemption.query';

@ReadApiController('reward-redemptions')
export class RewardRedemptionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'One reward redemption (rewr_...) with every state transition, applied or ignored' })
  @ApiOkResponse({ type: RewardRedemptionDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such reward redemption' })
  async get(@SafeTextParam('id') id: string) {
    const redemption = await this.queryBus.execute(new GetRewardRedemptionQuery(id));
    if (!redemption) throw new NotFoundException(`no reward redemption ${id}`);
    return redemption;
  }
}
