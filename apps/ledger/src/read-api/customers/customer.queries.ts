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
  resolveCustomerId,
} from '@ledger/projections';
import { PG_POOL } from '../../database/database.module';

type Rows = Record<string, unknown>[];

/** Resolves `cust_...` ids and source ids; null when the ledger has never seen the customer. */
export class ResolveCustomerQuery extends Query<string | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}
export class GetCustomerQuery extends Query<CustomerView> {
  constructor(readonly customerId: string) {
    super();
  }
}
export class ListLoyaltyCardsQuery extends Query<Rows> {
  constructor(readonly customerId: string) {
    super();
  }
}
export class PointsHistoryQuery extends Query<{ data: Rows; next_cursor: string | null }> {
  constructor(readonly page: PointsHistoryPageQuery) {
    super();
  }
}
export class ListRewardRedemptionsQuery extends Query<Rows> {
  constructor(readonly customerId: string, readonly state?: string) {
    super();
  }
}
export class ListVoucherHoldingsQuery extends Query<Rows> {
  constructor(readonly customerId: string, readonly status?: string) {
    super();
  }
}

abstract class PoolQueryHandler {
  constructor(@Inject(PG_POOL) protected readonly pool: Pool) {}
}

@QueryHandler(ResolveCustomerQuery)
export class ResolveCustomerHandler extends PoolQueryHandler implements IQueryHandler<ResolveCustomerQuery> {
  execute(query: ResolveCustomerQuery) {
    return resolveCustomerId(this.pool, query.idOrSourceId);
  }
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler extends PoolQueryHandler implements IQueryHandler<GetCustomerQuery> {
  execute(query: GetCustomerQuery) {
    return findCustomer(this.pool, query.customerId);
  }
}

@QueryHandler(ListLoyaltyCardsQuery)
export class ListLoyaltyCardsHandler extends PoolQueryHandler implements IQueryHandler<ListLoyaltyCardsQuery> {
  execute(query: ListLoyaltyCardsQuery) {
    return listLoyaltyCards(this.pool, query.customerId);
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
    return listRewardRedemptions(this.pool, query.customerId, query.state);
  }
}

@QueryHandler(ListVoucherHoldingsQuery)
export class ListVoucherHoldingsHandler extends PoolQueryHandler implements IQueryHandler<ListVoucherHoldingsQuery> {
  execute(query: ListVoucherHoldingsQuery) {
    return listVoucherHoldings(this.pool, query.customerId, query.status);
  }
}

export const CUSTOMER_QUERY_HANDLERS = [
  ResolveCustomerHandler,
  GetCustomerHandler,
  ListLoyaltyCardsHandler,
  PointsHistoryHandler,
  ListRewardRedemptionsHandler,
  ListVoucherHoldingsHandler,
];
