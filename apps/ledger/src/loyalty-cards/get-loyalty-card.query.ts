import { Query } from '@nestjs/cqrs';
import type { findLoyaltyCard } from '@ledger/projections';

/** A card by voucher id or code, at its newest snapshot, with its status; null when unknown. */
export class GetLoyaltyCardQuery extends Query<Awaited<ReturnType<typeof findLoyaltyCard>>> {
  constructor(readonly idOrCode: string) {
    super();
  }
}
