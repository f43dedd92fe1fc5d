import { ApiPropertyOptional } from '@nestjs/swagger';
import { MOVEMENT_KINDS } from '@ledger/projections';
import {
  Bool, Enum, Int, Nested, NestedList, NullableAnyObject, NullableInt, NullableText, NullableTime, Text, TextList,
} from '../http/openapi-props';

export class CustomerLoyaltyDto {
  @NullableInt('Sum over the cards not deleted; null when an amount could not be read') points!: number | null;
  @NullableInt() balance!: number | null;
  @NullableInt() redeemed_points!: number | null;
  @NullableInt() pending_points!: number | null;
  @Bool('true when a total is null because an amount could not be read') points_unreadable!: boolean;
  @Int('Cards counted') cards!: number;
}

export class CustomerDto {
  @Text('cust_...') id!: string;
  @NullableText() source_id!: string | null;
  @NullableText() name!: string | null;
  @NullableText() email!: string | null;
  @NullableAnyObject() metadata!: Record<string, unknown> | null;
  @Bool() deleted!: boolean;
  @Bool('true when the profile time is the received time standing in for an unbelievable source time') source_time_untrusted!: boolean;
  @Nested(() => CustomerLoyaltyDto) loyalty!: CustomerLoyaltyDto;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Present when asked with as_of: the totals are those of that time' })
  as_of?: string;
}

/** A customer found by search: what support needs to tell two customers apart. */
export class CustomerMatchDto {
  @Text('cust_...') id!: string;
  @NullableText() source_id!: string | null;
  @NullableText() name!: string | null;
  @NullableText() email!: string | null;
  @NullableText() phone!: string | null;
  @Bool() deleted!: boolean;
  @TextList('Codes of their loyalty cards (the first 10)') card_codes!: string[];
  @Enum(['exact', 'word_start', 'part_of_word'], 'How the text matched: a whole email, source id, phone, id or card code; the start of a word; part of one') match!: string;
}

export class CustomerSearchPageDto {
  @NestedList(() => CustomerMatchDto, 'Exact matches first, then word starts, then parts of words; by id within each') data!: CustomerMatchDto[];
  @NullableText('Pass as `cursor` for the next page; null at the end') next_cursor!: string | null;
}

export class PointsHistoryEntryDto {
  @Text() voucher_id!: string;
  @Text('The first event the entry comes from') event_id!: string;
  @Text() event_type!: string;
  @NullableTime() occurred_at!: string | null;
  @Bool() source_time_untrusted!: boolean;
  @NullableText('Voucherify transaction id; null for a change seen only in a snapshot') transaction_id!: string | null;
  @NullableText('e.g. POINTS_ACCRUAL') transaction_type!: string | null;
  @Enum(MOVEMENT_KINDS) kind!: string;
  @NullableInt('Signed change; null when unreadable') delta!: number | null;
  @NullableInt() balance_before!: number | null;
  @NullableInt() balance_after!: number | null;
  @Bool() points_unreadable!: boolean;
  @NullableInt('Points no entry explains just before this one (a missing webhook)') unexplained_before!: number | null;
  @NullableText() reason!: string | null;
  @NullableText() related_id!: string | null;
  @TextList('Every event that reported this change') event_ids!: string[];
  @Bool('true: seen only in a snapshot, not as a transaction') derived!: boolean;
}

export class PointsHistoryPageDto {
  @NestedList(() => PointsHistoryEntryDto, 'Newest first') data!: PointsHistoryEntryDto[];
  @NullableText('Pass as `cursor` for the next page; null at the end') next_cursor!: string | null;
}
