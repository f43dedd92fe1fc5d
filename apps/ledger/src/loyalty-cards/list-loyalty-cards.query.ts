import { Query } from '@nestjs/cqrs';
import type { listLoyaltyCards } from '@ledger/projections';

/** A customer's loyalty cards, by `cust_...` id or source id; null when the customer was never seen. */
export class ListLoyaltyCardsQuery extends Query<Awaited<ReturnType<typeof listLoyaltyCards>>> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}
