import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import {
  cardGaps,
  findCardAsOf,
  findCustomerAsOf,
  findLoyaltyCard,
  gapsPage,
  GapsPageQuery,
  ledgerPage,
  LedgerPageQuery,
  listCardsAsOf,
  pointsReport,
  PointsReportQuery,
} from '@ledger/projections';
import { PG_POOL } from '../../database/database.module';

type Answer<F extends (...args: any[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export class GetLoyaltyCardQuery extends Query<Answer<typeof findLoyaltyCard>> {
  constructor(readonly idOrCode: string) {
    super();
  }
}
export class GetCardAsOfQuery extends Query<Answer<typeof findCardAsOf>> {
  constructor(readonly idOrCode: string, readonly asOf: string) {
    super();
  }
}
export class GetCustomerAsOfQuery extends Query<Answer<typeof findCustomerAsOf>> {
  constructor(readonly idOrSourceId: string, readonly asOf: string) {
    super();
  }
}
export class ListCardsAsOfQuery extends Query<Answer<typeof listCardsAsOf>> {
  constructor(readonly idOrSourceId: string, readonly asOf: string) {
    super();
  }
}
export class LedgerPageQueryMessage extends Query<Answer<typeof ledgerPage>> {
  constructor(readonly page: LedgerPageQuery) {
    super();
  }
}
export class CardGapsQuery extends Query<Answer<typeof cardGaps>> {
  constructor(readonly voucherId: string) {
    super();
  }
}
export class GapsPageQueryMessage extends Query<Answer<typeof gapsPage>> {
  constructor(readonly page: GapsPageQuery) {
    super();
  }
}
export class PointsReportQueryMessage extends Query<Answer<typeof pointsReport>> {
  constructor(readonly report: PointsReportQuery) {
    super();
  }
}

abstract class PoolQueryHandler {
  constructor(@Inject(PG_POOL) protected readonly pool: Pool) {}
}

@QueryHandler(GetLoyaltyCardQuery)
class GetLoyaltyCardHandler extends PoolQueryHandler implements IQueryHandler<GetLoyaltyCardQuery> {
  execute = (q: GetLoyaltyCardQuery) => findLoyaltyCard(this.pool, q.idOrCode);
}
@QueryHandler(GetCardAsOfQuery)
class GetCardAsOfHandler extends PoolQueryHandler implements IQueryHandler<GetCardAsOfQuery> {
  execute = (q: GetCardAsOfQuery) => findCardAsOf(this.pool, q.idOrCode, q.asOf);
}
@QueryHandler(GetCustomerAsOfQuery)
class GetCustomerAsOfHandler extends PoolQueryHandler implements IQueryHandler<GetCustomerAsOfQuery> {
  execute = (q: GetCustomerAsOfQuery) => findCustomerAsOf(this.pool, q.idOrSourceId, q.asOf);
}
@QueryHandler(ListCardsAsOfQuery)
class ListCardsAsOfHandler extends PoolQueryHandler implements IQueryHandler<ListCardsAsOfQuery> {
  execute = (q: ListCardsAsOfQuery) => listCardsAsOf(this.pool, q.idOrSourceId, q.asOf);
}
@QueryHandler(LedgerPageQueryMessage)
class LedgerPageHandler extends PoolQueryHandler implements IQueryHandler<LedgerPageQueryMessage> {
  execute = (q: LedgerPageQueryMessage) => ledgerPage(this.pool, q.page);
}
@QueryHandler(CardGapsQuery)
class CardGapsHandler extends PoolQueryHandler implements IQueryHandler<CardGapsQuery> {
  execute = (q: CardGapsQuery) => cardGaps(this.pool, q.voucherId);
}
@QueryHandler(GapsPageQueryMessage)
class GapsPageHandler extends PoolQueryHandler implements IQueryHandler<GapsPageQueryMessage> {
  execute = (q: GapsPageQueryMessage) => gapsPage(this.pool, q.page);
}
@QueryHandler(PointsReportQueryMessage)
class PointsReportHandler extends PoolQueryHandler implements IQueryHandler<PointsReportQueryMessage> {
  execute = (q: PointsReportQueryMessage) => pointsReport(this.pool, q.report);
}

export const LEDGER_QUERY_HANDLERS = [
  GetLoyaltyCardHandler,
  GetCardAsOfHandler,
  GetCustomerAsOfHandler,
  ListCardsAsOfHandler,
  LedgerPageHandler,
  CardGapsHandler,
  GapsPageHandler,
  PointsReportHandler,
];
