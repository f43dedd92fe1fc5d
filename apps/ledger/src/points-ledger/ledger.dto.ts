import { ApiProperty } from '@nestjs/swagger';
import { MOVEMENT_KINDS, PENDING_MOVEMENTS } from '@ledger/projections';
import { DeferredRevenueDto } from './deferred-revenue.dto';
import {
  Bool, Enum, Int, Nested, NestedList, NullableEnum, NullableInt, NullableNested, NullableNum, NullableText, NullableTime, Text, TextList, TextMap, Time,
} from '../http/openapi-props';

const CARD_STATUSES = ['active', 'disabled', 'deleted'] as const;
const CAMPAIGN_STATUSES = ['active', 'disabled', 'deleted'] as const;

/** A loyalty card at its newest snapshot (loyaltyCardView). Amounts are null when the payload's figure could not be read. */
export class LoyaltyCardDto {
  @Text('v_...') voucher_id!: string;
  @NullableText() code!: string | null;
  @NullableText() campaign_id!: string | null;
  @NullableText() campaign_name!: string | null;
  @NullableText() customer_id!: string | null;
  @NullableInt() points!: number | null;
  @NullableInt() balance!: number | null;
  @NullableInt() redeemed_points!: number | null;
  @NullableInt() expired_points!: number | null;
  @NullableInt() subtracted_points!: number | null;
  @NullableInt() pending_points!: number | null;
  @NullableText("YYYY-MM-DD: the day the card's next points expire, as the newest snapshot that told it says (`loyalty_card.next_expiration_date`)", { format: 'date' })
  next_expiration_date!: string | null;
  @NullableInt('How many points expire then') next_expiration_points!: number | null;
  @NullableTime('Source time of the snapshot in force') updated_at!: string | null;
  @Bool() source_time_untrusted!: boolean;
  @Text('The event that carried the snapshot in force') last_event_id!: string;
  @ApiProperty({ type: Boolean, nullable: true, description: "The voucher's `active`; null when never given" }) active!: boolean | null;
  @Enum(CARD_STATUSES, "The card's status with its campaign's folded in") status!: string;
  @NullableEnum(CAMPAIGN_STATUSES, 'null: no campaign event seen') campaign_status!: string | null;
  @Bool() points_unreadable!: boolean;
  @NullableTime("When the card, or its campaign, was deleted (the earliest deletion's source time); null while it is not") deleted_at!: string | null;
}

/** A loyalty card as it stood at `as_of`, from the ledger. */
export class CardAsOfDto {
  @Text() voucher_id!: string;
  @NullableText() code!: string | null;
  @NullableText() campaign_id!: string | null;
  @NullableText() campaign_name!: string | null;
  @NullableText() customer_id!: string | null;
  @Int() points!: number;
  @Int() balance!: number;
  @Int() redeemed_points!: number;
  @Int() expired_points!: number;
  @Int() subtracted_points!: number;
  @NullableInt('From the pending ledger (the pending points after the last movement by then), else from the last snapshot; null when neither was seen by then') pending_points!: number | null;
  @Time() as_of!: string;
  @Bool('Deleted by then (the card or its campaign); its points no longer count in the customer\'s totals') deleted!: boolean;
}

export class LedgerEntryDto {
  @Text() voucher_id!: string;
  @NullableText('null for a change seen only in a snapshot (derived)') transaction_id!: string | null;
  @NullableText() transaction_type!: string | null;
  @Enum(MOVEMENT_KINDS) kind!: string;
  @Enum(['points', 'credits']) unit!: string;
  @NullableInt('Signed change; null when unreadable') points!: number | null;
  @Bool() points_unreadable!: boolean;
  @NullableInt() balance_before!: number | null;
  @NullableInt() balance_after!: number | null;
  @Int('Points no entry explains just before this one (a missing webhook)') unexplained_before!: number;
  @NullableTime() occurred_at!: string | null;
  @NullableTime("An expiry's due date (its buckets' expires_at): occurred_at is when Voucherify's expiry job took the points off, often the next day; null for other kinds or when no report told it") due_at!: string | null;
  @Bool() source_time_untrusted!: boolean;
  @NullableText() reason!: string | null;
  @TextMap('The ids behind the change, by kind: order_id, redemption_id, reward_id, earning_rule_id, event_id (the custom event), related_transaction_id, source_id, ...') related!: Record<string, string>;
  @TextList() event_ids!: string[];
  @Bool() derived!: boolean;
  @NullableText() campaign_id!: string | null;
}

export class LedgerPageDto {
  @NestedList(() => LedgerEntryDto, 'Newest first') data!: LedgerEntryDto[];
  @NullableText('Pass as `cursor` for the next page; null at the end') next_cursor!: string | null;
}

export class LedgerGapDto {
  @Text() voucher_id!: string;
  @NullableText() campaign_id!: string | null;
  @Int('Points missing') points!: number;
  @NullableText('The entry before the gap (null: the gap opens the known history)') after_entry!: string | null;
  @Text('The entry after the gap') before_entry!: string;
  @NullableTime() from!: string | null;
  @NullableTime() to!: string | null;
}

export class LedgerGapListDto {
  @NestedList(() => LedgerGapDto) data!: LedgerGapDto[];
}

export class LedgerGapPageDto {
  @NestedList(() => LedgerGapDto) data!: LedgerGapDto[];
  @NullableText('Pass as `cursor` for the next page; null at the end') next_cursor!: string | null;
}

export class MovementsDto {
  @Int() accrued!: number;
  @Int() added!: number;
  @Int() removed!: number;
  @Int() redeemed!: number;
  @Int() refunded!: number;
  @Int() expired!: number;
  @Int() transferred_in!: number;
  @Int() transferred_out!: number;
  @Int() pending_activated!: number;
  @Int('Balances written off because their card, or its campaign, was deleted (final in Voucherify)') written_off!: number;
  @Int() other!: number;
  @Int('Points of the gaps in the period') unexplained!: number;
  @Int('What changed in closed months after they were closed, booked here, in the first open month after them (prior_period_adjustments names the months)')
  prior_period_adjustment!: number;
}

/** A closed month's change since its closing, booked in the first open month after it. */
export class PriorPeriodAdjustmentDto {
  @Text('YYYY-MM: the closed month the change belongs to', { example: '2024-01' }) month!: string;
  @Int('Signed points') points!: number;
}

/** A movement of a card's pending points (a `lopp_` entry added, updated, cancelled or activated). */
export class PendingMovementDto {
  @Text() voucher_id!: string;
  @Enum(PENDING_MOVEMENTS) movement!: string;
  @NullableText('The pending entry (lopp_...); null when the report named none') entry_id!: string | null;
  @NullableInt('Signed change of the card\'s pending points; null when no report told it') points!: number | null;
  @Int() pending_before!: number;
  @Int() pending_after!: number;
  @Int('Pending points no movement explains just before this one (a missing webhook)') unexplained_before!: number;
  @NullableInt("The entry's points after the movement (an update), or the points it moved") entry_points!: number | null;
  @NullableTime() occurred_at!: string | null;
  @Bool() source_time_untrusted!: boolean;
  @NullableTime('When Voucherify planned to activate the entry') activates_at!: string | null;
  @NullableText() order_id!: string | null;
  @NullableText('The PENDING_POINTS_ACTIVATION transaction, for an activation that reported it') transaction_id!: string | null;
  @TextList('Every webhook that reported the movement (the voucher. and customer. twins)') event_ids!: string[];
  @NullableText() campaign_id!: string | null;
}

export class PendingMovementPageDto {
  @NestedList(() => PendingMovementDto, 'Newest first') data!: PendingMovementDto[];
  @NullableText('Pass as `cursor` for the next page; null at the end') next_cursor!: string | null;
}

/** A period's pending points: opening + added + updated + cancelled + activated + unexplained + written_off = closing. */
export class PendingReportDto {
  @Int() opening!: number;
  @Int('Points put pending') added!: number;
  @Int('Signed changes of pending entries') updated!: number;
  @Int('Pending points cancelled (negative)') cancelled!: number;
  @Int('Pending points moved to the cards (negative here, pending_activated among the movements)') activated!: number;
  @Int('Pending points of the gaps in the period') unexplained!: number;
  @Int('Pending points of cards deleted in the period (or whose campaign was): gone with them (negative)') written_off!: number;
  @Int() closing!: number;
}

export class CampaignReportDto {
  @NullableText() campaign_id!: string | null;
  @NullableText() campaign_name!: string | null;
  @Int() opening_balance!: number;
  @Nested(() => MovementsDto, 'Signed sums by kind') movements!: MovementsDto;
  @Int() closing_balance!: number;
  @Int() cards!: number;
  @NullableNum() breakage_rate!: number | null;
  @NullableText('ISO 4217') currency!: string | null;
  @NullableText('Decimal string', { example: '12.5000' }) opening_liability!: string | null;
  @NullableText('Decimal string', { example: '12.5000' }) closing_liability!: string | null;
  @Nested(() => PendingReportDto, 'Pending points, not yet on the cards (not in the balances or the liability)') pending!: PendingReportDto;
  @NestedList(() => PriorPeriodAdjustmentDto, 'In the first open month after closed ones: what changed in each of them since it was closed') prior_period_adjustments!: PriorPeriodAdjustmentDto[];
  @NullableNested(DeferredRevenueDto, 'IFRS 15 deferred revenue; null until the campaign has a revenue estimate (PUT /admin/campaigns/{id}/revenue-estimate)')
  deferred_revenue!: DeferredRevenueDto | null;
}

export class ChainHeadDto {
  @Int() seq!: number;
  @Int() position!: number;
  @Text('SHA-256, hex') hash!: string;
}

/** A month's closing: the report it kept, and how to prove the log it was computed from. */
export class PeriodClosingDto {
  @Text('YYYY-MM', { example: '2024-01' }) month!: string;
  @Enum(['closed', 'reopened'], 'closed: the report is the one kept at the closing; reopened: the live figures again') status!: 'closed' | 'reopened';
  @NullableTime() closed_at!: string | null;
  @Text('The operator event that closed it') closed_event_id!: string;
  @Int('The projections had applied the log up to this position when the report was computed') log_position!: number;
  @NullableNested(ChainHeadDto, 'The chain head then (`ledger verify --expect-head` proves the log up to it)') chain_head!: ChainHeadDto | null;
  @NullableTime() reopened_at!: string | null;
  @NullableText() reopen_reason!: string | null;
}

export class PeriodClosingListDto {
  @NestedList(() => PeriodClosingDto, 'Newest month first') data!: PeriodClosingDto[];
}

export class PointsReportDto {
  @Time() from!: string;
  @Time() to!: string;
  @Enum(['booked', 'due'], 'When expiries were counted: when booked (the default) or when due') expiry_basis!: 'booked' | 'due';
  @NestedList(() => CampaignReportDto) campaigns!: CampaignReportDto[];
  @NullableNested(PeriodClosingDto, 'When the period is a calendar month that was closed: its closing (a closed month answers the report kept then)') period!: PeriodClosingDto | null;
}
