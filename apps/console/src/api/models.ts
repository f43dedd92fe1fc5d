/**
 * The answers the console reads, as the README and the OpenAPI document describe them. Paths and
 * parameters are checked against the document by the typed client; these name the fields of the
 * answers the views use.
 */
import type { components } from './schema';
export interface EventSummary {
  position: number;
  event_id: string;
  delivery_id: string | null;
  type: string;
  project_id: string | null;
  customer_id: string | null;
  occurred_at: string | null;
  received_at: string;
  signature_status: 'verified' | 'unsigned' | 'imported' | 'operator';
  envelope_format: string;
  payload: unknown;
}
export interface EventPageDesc {
  data: EventSummary[];
  next_before: number | null;
}
export interface EventDetail extends EventSummary {
  transaction_id: string;
  request_headers: Record<string, string>;
  raw_body: { encoding: 'base64'; size: number; sha256: string; data: string };
}

export interface ProjectionStatus {
  name: string;
  checkpoint: { position: number; transaction_id: string } | null;
  events_applied: number;
  events_behind: number;
  lag_seconds: number;
  parked_events: number;
  updated_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}
export interface RebuildJob {
  id: string;
  projection: string;
  state: 'running' | 'succeeded' | 'failed';
  progress: { done: number; total: number; eventsPerSecond: number; etaSeconds: number | null; phase: string } | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}
export interface DeadLetter {
  id: number;
  projection: string;
  event_id: string;
  position: number;
  error: string;
  stack: string | null;
  attempts: number;
  parked_at: string;
}

export interface Gap {
  voucher_id: string;
  campaign_id: string | null;
  points: number | null;
  after_entry: string | null;
  before_entry: string | null;
  from: string | null;
  to: string | null;
}

export interface LedgerEntry {
  voucher_id: string;
  event_id?: string;
  event_ids: string[];
  occurred_at: string;
  transaction_id: string | null;
  transaction_type: string | null;
  kind: string;
  delta?: number | null;
  points?: number | null;
  balance_before: number | null;
  balance_after: number | null;
  unexplained_before: number | null;
  reason: string | null;
  derived: boolean;
}

export interface Customer {
  id: string;
  source_id: string | null;
  name: string | null;
  email: string | null;
  deleted: boolean;
  as_of?: string;
  loyalty: { points: number | null; balance: number | null; redeemed_points: number | null; pending_points: number | null; points_unreadable: boolean; cards: number };
}
export interface LoyaltyCard {
  voucher_id: string;
  code: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  points: number | null;
  balance: number | null;
  redeemed_points: number | null;
  expired_points: number | null;
  pending_points: number | null;
  status?: string;
  updated_at?: string;
}
export interface Transition {
  from: string | null;
  to: string;
  at: string;
  event_id: string;
  applied: boolean;
  ignored_reason?: string;
}
export interface RewardRedemption {
  id: string;
  state: string;
  voucher_id: string | null;
  reward_name: string | null;
  reward_type: string | null;
  points: number | null;
  created_at: string | null;
  updated_at: string | null;
  transitions?: Transition[];
}
export interface VoucherHolding {
  voucher_id: string;
  code: string | null;
  type: string | null;
  campaign_name: string | null;
  acquired_at: string | null;
  acquired_via: string;
  status: string;
}
export interface LoyaltyTier {
  campaign_id: string;
  campaign_name: string | null;
  tier: { id: string; name: string | null } | null;
  since: string | null;
  history: { event_type: string; from: { id: string; name: string | null } | null; to: { id: string; name: string | null } | null; at: string | null; event_id: string }[];
}

export interface CampaignReport {
  campaign_id: string | null;
  campaign_name: string | null;
  opening_balance: number;
  movements: Record<string, number>;
  closing_balance: number;
  cards: number;
  breakage_rate: number | null;
  currency: string | null;
  opening_liability: string | null;
  closing_liability: string | null;
}
export interface PointsReport {
  from: string;
  to: string;
  campaigns: CampaignReport[];
}

export interface ReceivedPerMinute {
  from: string;
  to: string;
  data: { minute: string; webhooks: number }[];
  last_received_at: string | null;
}
export interface RejectedDelivery {
  id: number;
  rejected_at: string;
  status_code: number;
  reason: string;
  detail: string | null;
  event_id: string | null;
  request_headers: Record<string, string>;
  body_size: number | null;
  body_start: string | null;
  body_truncated: boolean;
}
export interface RejectedCounts {
  from: string;
  to: string;
  data: { minute: string; reason: string; status_code: number; authenticated: boolean; deliveries: number; body_bytes: number }[];
}

export interface Paged<T> {
  data: T[];
  next_cursor: string | null;
}

// Reconciliation and delivery health: typed straight from the document's schemas.
export type ReconciliationRun = components['schemas']['ReconciliationRunDto'];
export type ReconciliationReport = components['schemas']['ReconciliationReportDto'];
export type CardDifference = components['schemas']['CardDifferenceDto'];
export type DeliveriesHealth = components['schemas']['DeliveriesHealthDto'];
