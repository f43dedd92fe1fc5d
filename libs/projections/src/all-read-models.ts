import { campaignsReadModel } from './campaigns/campaigns.read-model';
import { customersReadModel } from './customers/customers.read-model';
import { ledgerReadModel } from './points-ledger/ledger.read-model';
import { pointValuesReadModel } from './points-ledger/point-values.read-model';
import { closedPeriodsReadModel } from './points-ledger/closed-periods.read-model';
import { loyaltyCardsReadModel } from './loyalty-cards/loyalty-cards.read-model';
import { loyaltyTiersReadModel } from './loyalty-tiers/loyalty-tiers.read-model';
import { pendingPointsReadModel } from './pending-points/pending-points.read-model';
import type { KeyedReadModel } from './read-model';
import { rewardRedemptionsReadModel } from './reward-redemptions/reward-redemptions.read-model';
import { voucherHoldingsReadModel } from './voucher-holdings/voucher-holdings.read-model';

/** Every read model; each is one projection with its own checkpoint and owner. */
export const ALL_READ_MODELS: KeyedReadModel<any, any>[] = [
  customersReadModel,
  ledgerReadModel,
  pendingPointsReadModel,
  loyaltyCardsReadModel,
  pointValuesReadModel,
  rewardRedemptionsReadModel,
  voucherHoldingsReadModel,
  campaignsReadModel,
  loyaltyTiersReadModel,
  closedPeriodsReadModel,
];
