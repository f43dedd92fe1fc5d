import { Query } from '@nestjs/cqrs';
import type { listRewardRedemptions } from '@ledger/projections';

/** A customer's reward redemptions, optionally in one state; null when the customer was never seen. */
export class ListRewardRedemptionsQuery extends Query<Awaited<ReturnType<typeof listRewardRedemptions>>> {
  constructor(
    readonly idOrSourceId: string,
    readonly state?: string,
  ) {
    super();
  }
}
