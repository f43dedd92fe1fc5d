import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { filteredCustomerList, filteredCustomerRows, REWARD_REDEMPTIONS_TABLE } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { RewardRedemptionDto } from './reward-redemption.dto';

/** A customer's reward redemptions, optionally in one state; null when the customer was never seen. */
export class ListRewardRedemptionsQuery extends Query<RewardRedemptionDto[] | null> {
  constructor(
    readonly idOrSourceId: string,
    readonly state?: string,
  ) {
    super();
  }
}

const CUSTOMER_REDEMPTIONS = filteredCustomerList({
  name: 'customer-reward-redemptions',
  table: 'reward_redemptions',
  columns: REWARD_REDEMPTIONS_TABLE.columns,
  filterColumn: 'state',
  orderBy: 'created_at DESC NULLS LAST, id',
  key: 'id',
});

@QueryHandler(ListRewardRedemptionsQuery)
export class ListRewardRedemptionsHandler implements IQueryHandler<ListRewardRedemptionsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrSourceId, state }: ListRewardRedemptionsQuery): Promise<RewardRedemptionDto[] | null> {
    const rows = await filteredCustomerRows(this.pool, CUSTOMER_REDEMPTIONS, idOrSourceId, state);
    return rows && rows.map((row) => RewardRedemptionDto.fromRow(row));
  }
}
