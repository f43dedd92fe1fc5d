import { Query } from '@nestjs/cqrs';
import type { gapsPage, GapsPageQuery } from '@ledger/projections';

/** A page of the open gaps of every card (or one campaign). */
export class ListGapsQuery extends Query<Awaited<ReturnType<typeof gapsPage>>> {
  constructor(readonly page: GapsPageQuery) {
    super();
  }
}
