/**
 * The answers the console reads, named after the service's own OpenAPI document (schema.d.ts,
 * generated from openapi.json): one description of each answer, kept exact by the contract test.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type EventSummary = Schemas['EventSummaryDto'];
/** GET /events?order=desc: the newest first, `next_before` for the next (older) page. */
export type EventPageDesc = Schemas['EventPageDto'];
export type EventDetail = Schemas['EventDetailDto'];
export type ProjectionStatus = Schemas['ProjectionStatusDto'];
export type RebuildJob = Schemas['RebuildJobDto'];
export type DeadLetter = Schemas['DeadLetterDto'];
export type Gap = Schemas['LedgerGapDto'];
export type LedgerEntry = Schemas['LedgerEntryDto'];
export type Customer = Schemas['CustomerDto'];
export type LoyaltyCard = Schemas['LoyaltyCardDto'];
export type Transition = Schemas['RedemptionTransitionDto'];
export type RewardRedemption = Schemas['RewardRedemptionDto'];
export type VoucherHolding = Schemas['VoucherHoldingDto'];
export type LoyaltyTier = Schemas['LoyaltyTierDto'];
export type CampaignReport = Schemas['CampaignReportDto'];
export type PointsReport = Schemas['PointsReportDto'];
export type ReceivedPerMinute = Schemas['ReceivedPerMinuteDto'];
export type RejectedDelivery = Schemas['RejectedDeliveryDto'];
export type RejectedCounts = Schemas['RefusalCountsDto'];
export type ReconciliationRun = Schemas['ReconciliationRunDto'];
export type ReconciliationReport = Schemas['ReconciliationReportDto'];
export type CardDifference = Schemas['CardDifferenceDto'];
export type DeliveriesHealth = Schemas['DeliveriesHealthDto'];

/** Every list of the API: a page of `data` and the cursor of the next one (null at the end). */
export interface Paged<T> {
  data: T[];
  next_cursor: string | null;
}
