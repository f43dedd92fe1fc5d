import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { columnNames, customerRows, LOYALTY_TIERS_TABLE, loyaltyTierView } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { LoyaltyTierDto } from './loyalty-tier.dto';

/** The customer's tier per loyalty campaign and its history; null when never seen. */
export class ListLoyaltyTiersQuery extends Query<LoyaltyTierDto[] | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}

@QueryHandler(ListLoyaltyTiersQuery)
export class ListLoyaltyTiersHandler implements IQueryHandler<ListLoyaltyTiersQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrSourceId }: ListLoyaltyTiersQuery): Promise<LoyaltyTierDto[] | null> {
    const rows = await customerRows(this.pool, {
      name: 'customer-loyalty-tiers',
      select: `SELECT ${columnNames(LOYALTY_TIERS_TABLE.columns)} FROM loyalty_tiers WHERE customer_id = customer.resolved_id`,
      orderBy: 'campaign_id',
      key: 'campaign_id',
      values: [idOrSourceId],
    });
    return rows && rows.map((row) => loyaltyTierView(LOYALTY_TIERS_TABLE.fromRow(row)));
  }
}
