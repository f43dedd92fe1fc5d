import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import {
  CustomerView,
  findCustomer,
  listLoyaltyCards,
  listRewardRedemptions,
  listVoucherHoldings,
  pagePointsHistory,
  PointsHistoryPageQuery,
} from '@ledger/projections';
import { PG_POOL } from '../../database/database.module';

type Rows = Record<string, unknown>[];

/*
 * Each query names the customer by `cust_...` id or source id, resolved in the same SQL
 * statement, and yields null when the ledger has never seen the customer.
 */
export class GetCustomerQuery extends Query<CustomerView | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}
export class ListLoyaltyCardsQuery extends Query<Rows | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}
export class PointsHistoryQuery extends Query<{ data: Rows; next_cursor: string | null } | null> {
  constructor(readonly page: PointsHistoryPageQuery) {
    super();
  }
}
export class ListRewardRedemptionsQuery extends Query<Rows | null> {
  constructor(readonly idOrSourceId: string, readonly state?: string) {
    super();
  }
}
export class ListVoucherHoldingsQuery extends Query<Rows | null> {
  constructor(readonly idOrSourceId: string, readonly status?: string) {
    super();
  }
}

abstract class PoolQueryHandler {
  constructor(@Inject(PG_POOL) protected readonly pool: Pool) {}
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler extends PoolQueryHandler implements IQueryHandler<GetCustomerQuery> {
  execute(query: GetCustomerQuery) {
    return findCustomer(this.pool, query.idOrSourceId);
  }
}

@QueryHandler(ListLoyaltyCardsQuery)
export class ListLoyaltyCardsHandler extends PoolQueryHandler implements IQueryHandler<ListLoyaltyCardsQuery> {
  execute(query: ListLoyaltyCardsQuery) {
    return listLoyaltyCards(this.pool, query.idOrSourceId);
  }
}

@QueryHandler(PointsHistoryQuery)
export class PointsHistoryHandler extends PoolQueryHandler implements IQueryHandler<PointsHistoryQuery> {
  execute(query: PointsHistoryQuery) {
    return pagePointsHistory(this.pool, query.page);
  }
}

@QueryHandler(ListRewardRedemptionsQuery)
export class ListRewardRedemptionsHandler extends PoolQueryHandler implements IQueryHandler<ListRewardRedemptionsQuery> {
  execute(query: ListRewardRedemptionsQuery) {
    return listRewardRedemptions(this.pool, query.idOrSourceId, query.state);
  }
}

@QueryHandler(ListVoucherHoldingsQuery)
export class ListVoucherHoldingsHandler extends PoolQueryHandler implements IQueryHandler<ListVoucherHoldingsQuery> {
  execute(query: ListVoucherHoldingsQuery) {
    return listVoucherHoldings(this.pool, query.idOrSourceId, query.status);
  }
}

export const CUSTOMER_QUERY_HANDLERS = [
  GetCustomerHandler,
  ListLoyaltyCardsHandler,
  PointsHistoryHandler,
  ListRewardRedemptionsHandler,
  ListVoucherHoldingsHandler,
];
