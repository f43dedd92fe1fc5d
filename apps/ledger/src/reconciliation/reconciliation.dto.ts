import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsSafeText } from '../http/validation/param-decorators';
import { IsTimeParam } from '../http/validation/time-param';

/**
 * The shapes of /admin/reconciliations. The operator console reads them: keep them stable
 * (add fields, never rename or remove one).
 */

export const RUN_STATES = ['running', 'succeeded', 'failed', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const RUN_TRIGGERS = ['cli', 'api', 'schedule'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** The body of POST /admin/reconciliations: the CLI's options, as JSON. */
export class StartReconciliationBody {
  @ApiPropertyOptional({ type: [String], description: 'Loyalty campaigns to reconcile (default: every campaign the ledger knows)', example: ['camp_1'] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsSafeText(255, {}, { each: true })
  campaign_ids?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Only these cards, by voucher id or code (each read on its own: 2 calls a card)', example: ['v_1'] })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsSafeText(255, {}, { each: true })
  card_ids?: string[];

  @ApiPropertyOptional({ description: 'Only cards with open gaps (the cheap, frequent run)', default: false })
  @IsOptional() @IsBoolean()
  gaps_only?: boolean;

  @ApiPropertyOptional({ description: 'Only transactions created at or after this time (ISO 8601); balances are still compared', example: '2026-01-01T00:00:00Z' })
  @IsOptional() @IsTimeParam()
  since?: string;

  @ApiPropertyOptional({ description: 'Append the transactions missing here to the log (signature_status "reconciled")', default: false })
  @IsOptional() @IsBoolean()
  backfill?: boolean;

  @ApiPropertyOptional({ description: "Voucherify calls this run may spend (default RECONCILE_MAX_CALLS): a plan that needs more is refused with its estimate", minimum: 1, maximum: 1_000_000 })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  max_calls?: number;
}

export class ReconciliationOptionsDto {
  @ApiProperty({ type: [String], description: 'Campaigns asked for; empty: every campaign the ledger knows' })
  campaign_ids!: string[];
  @ApiProperty({ type: [String], description: 'Cards asked for; empty: every card of the campaigns' })
  card_ids!: string[];
  @ApiProperty()
  gaps_only!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  since!: string | null;
  @ApiProperty()
  backfill!: boolean;
  @ApiProperty({ description: 'Voucherify calls the run may spend' })
  max_calls!: number;
}

export const PLAN_SOURCES = ['cards', 'transactions_list', 'exports'] as const;
export type PlanSource = (typeof PLAN_SOURCES)[number];

export class CampaignPlanDto {
  @ApiProperty()
  campaign_id!: string;
  @ApiProperty({
    enum: PLAN_SOURCES,
    description:
      "What is read: cards (each card and its transactions, by code: 2 calls a card), transactions_list (the campaign's transactions newest first down to `since`: 1 call per 100), exports (the campaign's transactions export and the vouchers export: a few calls whatever the size)",
  })
  source!: PlanSource;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Transactions read from this time on; null: all of them' })
  since!: string | null;
  @ApiProperty({ description: 'Cards the ledger knows in the campaign (or asked for)' })
  cards!: number;
  @ApiProperty({ description: 'Transactions the ledger holds in the window: what the estimate of a list is made from' })
  transactions_in_ledger!: number;
  @ApiProperty({ description: 'Calls estimated for the reads' })
  estimated_calls!: number;
}

export class ReconciliationPlanDto {
  @ApiProperty({ type: [CampaignPlanDto] })
  campaigns!: CampaignPlanDto[];
  @ApiProperty({ description: 'Calls estimated for the reads, all campaigns; what is left of max_calls goes to cards the reads cannot settle' })
  estimated_calls!: number;
  @ApiProperty({ description: 'Seconds the estimated calls take at calls_per_minute' })
  estimated_seconds!: number;
  @ApiProperty({ description: 'The budget of the run' })
  max_calls!: number;
  @ApiProperty({ description: 'The pace the run keeps (VOUCHERIFY_CALLS_PER_MINUTE)' })
  calls_per_minute!: number;
  @ApiProperty({ description: 'False: the run is refused unless max_calls is raised to estimated_calls' })
  within_budget!: boolean;
}

export class ReconciliationCallsDto {
  @ApiProperty({ description: 'Calls sent to Voucherify, retries and 429s included' })
  spent!: number;
  @ApiProperty({ description: 'The budget of the run' })
  max_calls!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Calls by endpoint, as the documentation names it', example: { 'POST /v1/exports': 1 } })
  by_endpoint!: Record<string, number>;
}

export class ReconciliationProgressDto {
  @ApiProperty({ description: 'Campaigns in this run' })
  campaigns_total!: number;
  @ApiProperty({ description: 'Campaigns finished' })
  campaigns_done!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The campaign being worked on' })
  current_campaign_id!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "Cards to check in the current campaign (null until Voucherify's list is read)" })
  cards_total!: number | null;
  @ApiProperty({ description: 'Cards checked so far in this run' })
  cards_checked!: number;
}

export class ReconciliationSummaryDto {
  @ApiProperty({ description: 'Cards compared with Voucherify' })
  cards_checked!: number;
  @ApiProperty({ description: 'Cards that still differ from Voucherify at the end of the run' })
  cards_differing!: number;
  @ApiProperty({ description: 'Transactions Voucherify has and the ledger had not (before any backfill)' })
  transactions_missing!: number;
  @ApiProperty({ description: 'Ledger transactions Voucherify does not know' })
  transactions_unknown!: number;
  @ApiProperty({ description: 'Transactions whose points differ between Voucherify and the ledger' })
  transactions_different!: number;
  @ApiProperty({ description: "Sum of the differing cards' points_unexplained at the end of the run" })
  points_unexplained!: number;
  @ApiProperty({ description: 'Missing transactions appended to the log by this run' })
  transactions_backfilled!: number;
  @ApiProperty({ description: 'Cards that could not be checked (Voucherify kept failing); listed in cards with an error' })
  cards_failed!: number;
}

export class MissingTransactionDto {
  @ApiProperty({ example: 'vtx_0c9afe802593b34b80' })
  transaction_id!: string;
  @ApiProperty({ example: 'POINTS_ACCRUAL' })
  type!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Signed change' })
  points!: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  created_at!: string | null;
  @ApiProperty({ description: 'Appended to the log by this run' })
  backfilled!: boolean;
}

export class UnknownTransactionDto {
  @ApiProperty()
  transaction_id!: string;
  @ApiProperty({ type: String, nullable: true })
  type!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  points!: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  occurred_at!: string | null;
}

export class DifferentTransactionDto {
  @ApiProperty()
  transaction_id!: string;
  @ApiProperty({ type: Number, nullable: true })
  voucherify_points!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  ledger_points!: number | null;
}

export class CardDifferenceDto {
  @ApiProperty({ example: 'camp_1' })
  campaign_id!: string;
  @ApiProperty({ description: 'Voucher id of the loyalty card', example: 'v_1' })
  card_id!: string;
  @ApiProperty({ type: String, nullable: true })
  code!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "Voucherify's current balance (null: the card could not be read)" })
  voucherify_balance!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "The ledger's balance at the end of the run (null: no entry here)" })
  ledger_balance!: number | null;
  @ApiProperty({ type: [MissingTransactionDto], description: 'Transactions missing here (at most 100 listed)' })
  missing_here!: MissingTransactionDto[];
  @ApiProperty({ type: [UnknownTransactionDto], description: 'Ledger transactions Voucherify does not list (at most 100 listed)' })
  unknown_to_voucherify!: UnknownTransactionDto[];
  @ApiProperty({ type: [DifferentTransactionDto], description: 'Same transaction id, different points (at most 100 listed)' })
  different_points!: DifferentTransactionDto[];
  @ApiProperty({ description: 'True when balance and transactions agree at the end of the run (e.g. after a backfill)' })
  resolved!: boolean;
  @ApiProperty({
    description:
      'Points the differences leave unexplained at the end of the run: the points of the transactions still missing, unknown or different, or the balance difference when the transactions agree (0 when resolved)',
  })
  points_unexplained!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the card still differs, or why it could not be checked' })
  explanation!: string | null;
}

export class ReconciliationRunDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: RUN_STATES, description: 'interrupted: stopped before the end; the next run with the same options resumes it' })
  state!: RunState;
  @ApiProperty({ enum: RUN_TRIGGERS })
  trigger!: RunTrigger;
  @ApiProperty({ type: ReconciliationOptionsDto })
  options!: ReconciliationOptionsDto;
  @ApiProperty({ description: 'The process running (or that last ran) it: host:pid', example: 'ledger-1:4242' })
  holder!: string;
  @ApiProperty({ format: 'date-time' })
  started_at!: string;
  @ApiProperty({ format: 'date-time', description: 'Last progress' })
  updated_at!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  finished_at!: string | null;
  @ApiProperty({ description: 'Times an interrupted run was taken up again' })
  resumed!: number;
  @ApiProperty({ type: ReconciliationProgressDto })
  progress!: ReconciliationProgressDto;
  @ApiProperty({ type: ReconciliationSummaryDto })
  summary!: ReconciliationSummaryDto;
  @ApiProperty({ type: String, nullable: true, description: 'Why the run failed' })
  error!: string | null;
  @ApiPropertyOptional({ type: ReconciliationPlanDto, description: 'What the run planned to read and spend, stated before its first call (absent for runs older than plans)' })
  plan?: ReconciliationPlanDto;
  @ApiPropertyOptional({ type: ReconciliationCallsDto, description: 'The Voucherify calls spent so far (absent until the first is counted)' })
  calls?: ReconciliationCallsDto;
}

export class ReconciliationReportDto extends ReconciliationRunDto {
  @ApiProperty({ type: [CardDifferenceDto], description: 'Cards that differed (at most 1,000 listed; summary counts them all)' })
  cards!: CardDifferenceDto[];
  @ApiProperty({ description: 'True when more cards differed than are listed' })
  cards_truncated!: boolean;
}

export class ReconciliationListDto {
  @ApiProperty({ type: [ReconciliationRunDto], description: 'Runs, newest first' })
  data!: ReconciliationRunDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null at the end' })
  next_cursor!: string | null;
}

export class StartedReconciliationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: ReconciliationRunDto })
  run!: ReconciliationRunDto;
}

export class ApiErrorDto {
  @ApiProperty({ example: 404 })
  status!: number;
  @ApiProperty({ example: 'not_found' })
  code!: string;
  @ApiProperty()
  message!: string;
  @ApiPropertyOptional({ type: [String] })
  details?: string[];
}
