import { BadRequestException, Controller, Get, NotFoundException, Param, Query, UseInterceptors, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags, ApiBearerAuth } from '@nestjs/swagger';
import { InvalidCursorError } from '@ledger/projections';
import { MIN_POSITION_HEADER, MinPositionInterceptor } from '../consistency/min-position.interceptor';
import { PointsHistoryParams, RewardRedemptionsParams, VoucherHoldingsParams } from './customer.params';
import {
  GetCustomerQuery,
  ListLoyaltyCardsQuery,
  ListRewardRedemptionsQuery,
  ListVoucherHoldingsQuery,
  PointsHistoryQuery,
  ResolveCustomerQuery,
} from './customer.queries';
import { ReadTokenGuard } from '../../http/read-token.guard';

@ApiTags('customers')
@ApiHeader({ name: MIN_POSITION_HEADER, required: false, description: 'Wait until the read models have applied this log position' })
@UseInterceptors(MinPositionInterceptor)
@ApiBearerAuth()
@UseGuards(ReadTokenGuard)
@Controller('customers')
export class CustomersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'A customer (cust_... id or source_id) with loyalty totals over their cards' })
  async get(@Param('id') id: string) {
    const customer = await this.queryBus.execute(new GetCustomerQuery(await this.resolve(id)));
    return {
      id: customer.id,
      source_id: customer.source_id,
      name: customer.name,
      email: customer.email,
      metadata: customer.metadata,
      deleted: customer.deleted,
      loyalty: customer.loyalty,
    };
  }

  @Get(':id/loyalty-cards')
  @ApiOperation({ summary: "The customer's loyalty cards, each at its newest snapshot by source time" })
  async loyaltyCards(@Param('id') id: string) {
    return { data: await this.queryBus.execute(new ListLoyaltyCardsQuery(await this.resolve(id))) };
  }

  @Get(':id/points-history')
  @ApiOperation({ summary: 'Changes on the customer’s cards, newest first, cursor-paginated' })
  async pointsHistory(@Param('id') id: string, @Query() params: PointsHistoryParams) {
    const customerId = await this.resolve(id);
    try {
      return await this.queryBus.execute(
        new PointsHistoryQuery({ customerId, voucherId: params.voucher_id, limit: params.limit, cursor: params.cursor }),
      );
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  @Get(':id/reward-redemptions')
  @ApiOperation({ summary: "The customer's reward redemptions with their state transitions" })
  async rewardRedemptions(@Param('id') id: string, @Query() params: RewardRedemptionsParams) {
    return { data: await this.queryBus.execute(new ListRewardRedemptionsQuery(await this.resolve(id), params.state)) };
  }

  @Get(':id/vouchers')
  @ApiOperation({ summary: 'Every voucher the customer holds' })
  async vouchers(@Param('id') id: string, @Query() params: VoucherHoldingsParams) {
    return { data: await this.queryBus.execute(new ListVoucherHoldingsQuery(await this.resolve(id), params.status)) };
  }

  private async resolve(idOrSourceId: string): Promise<string> {
    const customerId = await this.queryBus.execute(new ResolveCustomerQuery(idOrSourceId));
    if (!customerId) throw new NotFoundException(`no customer with id or source_id ${idOrSourceId}`);
    return customerId;
  }
}
