import { Query } from '@nestjs/cqrs';
import type { cardGaps } from '@ledger/projections';

/** A card's open gaps. */
export class CardGapsQuery extends Query<Awaited<ReturnType<typeof cardGaps>>> {
  constructor(readonly voucherId: string) {
    super();
  }
}
