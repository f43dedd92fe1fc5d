import { Query } from '@nestjs/cqrs';
import type { pagePointsHistory, PointsHistoryPageQuery } from '@ledger/projections';

/**
 * One page of a customer's points history, newest first; null when the customer was never seen.
 * A cursor this API did not issue makes the handler throw InvalidCursorError.
 */
export class PointsHistoryQuery extends Query<Awaited<ReturnType<typeof pagePointsHistory>>> {
  constructor(readonly page: PointsHistoryPageQuery) {
    super();
  }
}
