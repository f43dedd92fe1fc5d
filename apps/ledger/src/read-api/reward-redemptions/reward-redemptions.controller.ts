import { Get, Inject, NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { findRewardRedemption } from '@ledger/projections';
import { PG_POOL } from '../../database/database.module';
import { SafeTextParam } from '../../http/validation/param-pipes';
import { ReadApiController } from '../read-api-controller.decorator';

type RewardRedemptionView = NonNullable<Awaited<ReturnType<typeof findRewardRedemption>>>;

export class GetRewardRedemptionQuery extends Query<RewardRedemptionView | null> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetRewardRedemptionQuery)
export class GetRewardRedemptionHandler implements IQueryHandler<GetRewardRedemptionQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute(query: GetRewardRedemptionQuery) {
    return findRewardRedemption(this.pool, query.id);
  }
}

@ReadApiController('reward-redemptions')
export class RewardRedemptionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'One reward redemption (rewr_...) with every state transition, applied or ignored' })
  async get(@SafeTextParam('id') id: string) {
    const redemption = await this.queryBus.execute(new GetRewardRedemptionQuery(id));
    if (!redemption) throw new NotFoundException(`no reward redemption ${id}`);
    return redemption;
  }
}
