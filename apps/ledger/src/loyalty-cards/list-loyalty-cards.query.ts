import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { customerRows } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { LoyaltyCardDto } from '../points-ledger/ledger.dto';
import { CARD_COLUMNS, loyaltyCardOf } from './loyalty-card.rows';

/** A customer's loyalty cards, by `cust_...` id or source id; null when the customer was never seen. */
export class ListLoyaltyCardsQuery extends Query<LoyaltyCardDto[] | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}

@QueryHandler(ListLoyaltyCardsQuery)
export class ListLoyaltyCardsHandler implements IQueryHandler<ListLoyaltyCardsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrSourceId }: ListLoyaltyCardsQuery): Promise<LoyaltyCardDto[] | null> {
    // Deleted cards too: their status says so.
    const rows = await customerRows(this.pool, {
      name: 'customer-loyalty-cards',
      select: `SELECT ${CARD_COLUMNS} FROM loyalty_cards WHERE customer_id = customer.resolved_id`,
      orderBy: 'code, voucher_id',
      key: 'voucher_id',
      values: [idOrSourceId],
    });
    return rows && rows.map((row) => loyaltyCardOf(row));
  }
}
