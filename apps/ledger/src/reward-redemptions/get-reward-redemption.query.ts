import { Query } from '@nestjs/cqrs';
import type { findRewardRedemption } from '@ledger/projections';

/** One reward redemption (rewr_...) with its transitions; null when unknown. */
export class GetRewardRedemptionQuery extends Query<Awaited<ReturnType<typeof findRewardRedemption>>> {
  constructor(readonly id: string) {
    super();
  }
}
