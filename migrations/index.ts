import { EventStore1764000000000 } from './1764000000000-event-store';
import { ReadModels1764000001000 } from './1764000001000-read-models';
import { ImportedEvents1764000002000 } from './1764000002000-imported-events';
import { EventChain1764000003000 } from './1764000003000-event-chain';
import { PointsHistoryWindow1764000004000 } from './1764000004000-points-history-window';
import { RawBodyUncompressed1764000005000 } from './1764000005000-raw-body-uncompressed';
import { AppendOnlyMessageNamesTable1764000006000 } from './1764000006000-append-only-message-names-table';
import { RefusalCounts1764000007000 } from './1764000007000-refusal-counts';
import { UntrustedSourceValues1764000008000 } from './1764000008000-untrusted-source-values';
import { OfficialPayloadShapes1764000010000 } from './1764000010000-official-payload-shapes';
import { PointsLedger1764000011000 } from './1764000011000-points-ledger';
import { PointsHistoryFromLedger1764000012000 } from './1764000012000-points-history-from-ledger';
import { CardChangePoints1764000013000 } from './1764000013000-card-change-points';
import { Reconciliation1764000014000 } from './1764000014000-reconciliation';
import { EventsReceivedAt1764000016000 } from './1764000016000-events-received-at';
import { DeletionTimes1764000020000 } from './1764000020000-deletion-times';
import { PayloadUncompressed1764000021000 } from './1764000021000-payload-uncompressed';
import { ReconciliationBudget1764000022000 } from './1764000022000-reconciliation-budget';
import { CardCountersStamp1764000023000 } from './1764000023000-card-counters-stamp';
import { RewardPayments1764000024000 } from './1764000024000-reward-payments';
import { LedgerDeletions1764000025000 } from './1764000025000-ledger-deletions';
import { ExpiryDueDates1764000026000 } from './1764000026000-expiry-due-dates';
import { PendingPoints1764000027000 } from './1764000027000-pending-points';
import { ErasableLog1764000028000 } from './1764000028000-erasable-log';
import { CustomerSearch1764000029000 } from './1764000029000-customer-search';
import { RevenueEstimates1764000030000 } from './1764000030000-revenue-estimates';
import { ClosedPeriods1764000031000 } from './1764000031000-closed-periods';
import { ExpiringPoints1764000032000 } from './1764000032000-expiring-points';
import { OneCopyOfEachWebhook1764000033000 } from './1764000033000-one-copy-of-each-webhook';

/** Every migration, in order. Listed explicitly so no glob depends on how the code was built. */
export const ALL_MIGRATIONS = [
  EventStore1764000000000,
  ReadModels1764000001000,
  ImportedEvents1764000002000,
  EventChain1764000003000,
  PointsHistoryWindow1764000004000,
  RawBodyUncompressed1764000005000,
  AppendOnlyMessageNamesTable1764000006000,
  RefusalCounts1764000007000,
  UntrustedSourceValues1764000008000,
  OfficialPayloadShapes1764000010000,
  PointsLedger1764000011000,
  PointsHistoryFromLedger1764000012000,
  CardChangePoints1764000013000,
  Reconciliation1764000014000,
  EventsReceivedAt1764000016000,
  DeletionTimes1764000020000,
  PayloadUncompressed1764000021000,
  ReconciliationBudget1764000022000,
  CardCountersStamp1764000023000,
  RewardPayments1764000024000,
  LedgerDeletions1764000025000,
  ExpiryDueDates1764000026000,
  PendingPoints1764000027000,
  ErasableLog1764000028000,
  CustomerSearch1764000029000,
  RevenueEstimates1764000030000,
  ClosedPeriods1764000031000,
  ExpiringPoints1764000032000,
  OneCopyOfEachWebhook1764000033000,
];
