import { Query } from '@nestjs/cqrs';
import type { listLoyaltyTiers } from '@ledger/projections';

/** The customer's tier per loyalty campaign and its history; null when never seen. */
export class ListLoyaltyTiersQuery extends Query<Awaited<ReturnType<typeof listLoyaltyTiers>>> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}
