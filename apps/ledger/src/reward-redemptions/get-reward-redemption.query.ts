import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { columnNames, REWARD_REDEMPTIONS_TABLE } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { RewardRedemptionDto } from './reward-redemption.dto';

/** One reward redemption (rewr_...) with its transitions; null when unknown. */
export class GetRewardRedemptionQuery extends Query<RewardRedemptionDto | null> {
  constructor(readonly id: string) {
    super();
  }
}

const FIND_REDEMPTION = `SELECT ${columnNames(REWARD_REDEMPTIONS_TABLE.columns)} FROM reward_redemptions WHERE id = $1`;

@QueryHandler(GetRewardRedemptionQuery)
export class GetRewardRedemptionHandler implements IQueryHandler<GetRewardRedemptionQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ id }: GetRewardRedemptionQuery): Promise<RewardRedemptionDto | null> {
    const { rows } = await this.pool.query({ name: 'find-reward-redemption', text: FIND_REDEMPTION, values: [id] });
    return rows[0] ? RewardRedemptionDto.fromRow(rows[0]) : null;
  }
}
