import { Query } from '@nestjs/cqrs';
import type { listCardsAsOf } from '@ledger/projections';

/** The customer's cards that had ledger entries at a source time, as they stood then; null when never seen. */
export class ListCardsAsOfQuery extends Query<Awaited<ReturnType<typeof listCardsAsOf>>> {
  constructor(readonly idOrSourceId: string, readonly asOf: string) {
    super();
  }
}
