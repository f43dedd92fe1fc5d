/**
 * Names for the answers that views pass to their own components, from the service's OpenAPI
 * document (schema.d.ts, generated from openapi.json and kept exact by the contract test). A
 * query's result needs none: unwrap() returns the type openapi-fetch gives its route.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type EventSummary = Schemas['EventSummaryDto'];
export type EventDetail = Schemas['EventDetailDto'];
export type ProjectionStatus = Schemas['ProjectionStatusDto'];
export type RebuildJob = Schemas['RebuildJobDto'];
export type DeadLetter = Schemas['DeadLetterDto'];
export type Gap = Schemas['LedgerGapDto'];
export type PointsHistoryEntry = Schemas['PointsHistoryEntryDto'];
export type Customer = Schemas['CustomerDto'];
export type CampaignReport = Schemas['CampaignReportDto'];
export type PointsReport = Schemas['PointsReportDto'];
export type ReceivedPerMinute = Schemas['ReceivedPerMinuteDto'];
export type ReconciliationRun = Schemas['ReconciliationRunDto'];
export type ReconciliationReport = Schemas['ReconciliationReportDto'];
export type CardDifference = Schemas['CardDifferenceDto'];
export type ReconciliationPlan = Schemas['ReconciliationPlanDto'];
export type ReconciliationCalls = Schemas['ReconciliationCallsDto'];
export type DeliveriesHealth = Schemas['DeliveriesHealthDto'];
export type Erasure = Schemas['ErasureDto'];
export type ErasurePreview = Schemas['ErasurePreviewDto'];
export type Verification = Schemas['VerificationDto'];
export type DeferredRevenue = Schemas['DeferredRevenueDto'];
export type RevenuePosition = Schemas['RevenuePositionDto'];
export type RedemptionTriangle = Schemas['RedemptionTriangleDto'];
export type ExpiringPoints = Schemas['ExpiringPointsDto'];
