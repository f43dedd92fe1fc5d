import { Query } from '@nestjs/cqrs';
import type { findCardAsOf } from '@ledger/projections';

/** A card as it stood at a source time, from the ledger; null before its first entry. */
export class GetCardAsOfQuery extends Query<Awaited<ReturnType<typeof findCardAsOf>>> {
  constructor(readonly idOrCode: string, readonly asOf: string) {
    super();
  }
}
