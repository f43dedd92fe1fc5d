import { MOVEMENT_KINDS } from '@ledger/projections';
import { Bool, Enum, Int, NestedList, Nested, NullableInt, NullableNested, NullableText, NullableTime, Text, Time } from '../http/openapi-props';

/* A customer's statement (GET /customers/{id}/statement): what they had, what happened, what they have. */

export class StatementEntryDto {
  @NullableTime() occurred_at!: string | null;
  @Enum(MOVEMENT_KINDS) kind!: string;
  @NullableInt('Signed change; null when unreadable') points!: number | null;
  @Int() balance_after!: number;
  @Int('Points no entry explains just before this one (a missing webhook)') unexplained_before!: number;
  @NullableText() reason!: string | null;
  @NullableText('Voucherify transaction; null for a change seen only in a snapshot') transaction_id!: string | null;
}

/** What a card has due to expire soon, and where the figure comes from (GET /reports/expiring-points says how each is read). */
export class StatementExpiringDto {
  @Int() points!: number;
  @Time('Due before this day (exclusive): 90 days after the statement was made') until!: string;
  @Enum(['voucherify_export', 'webhooks'], "voucherify_export: the card's point buckets as last read; webhooks: its next expiry only, a lower bound") source!: string;
  @NullableTime('When the figure was read (or told)') read_at!: string | null;
}

export class StatementCardDto {
  @Text() voucher_id!: string;
  @NullableText() code!: string | null;
  @NullableText() campaign_id!: string | null;
  @NullableText() campaign_name!: string | null;
  @Int('The balance before `from`') opening_balance!: number;
  @NestedList(() => StatementEntryDto, 'Oldest first') entries!: StatementEntryDto[];
  @Bool('True when the period holds more entries than a statement lists (20,000 a card): narrow the period') truncated!: boolean;
  @Int('The balance before `to`: the opening balance plus the entries and the unexplained points') closing_balance!: number;
  @NullableInt('Points pending at `to` (not on the balance yet); null when never reported') pending_points!: number | null;
  @Bool('The card, or its campaign, was deleted before `to` (its balance written off)') deleted!: boolean;
  @NullableNested(StatementExpiringDto, 'Points due to expire in the 90 days from the day the statement was made; null when nothing is known to be due') expiring_points!: StatementExpiringDto | null;
}

export class StatementChainHeadDto {
  @Int() seq!: number;
  @Int() position!: number;
  @Text('SHA-256 of the link, hex') hash!: string;
}

export class StatementLogDto {
  @Int('The ledger had applied the log up to this position: a rebuild to it (`ledger replay --until-position`) gives the same statement') position!: number;
  @NullableNested(StatementChainHeadDto, 'The chain head when it was computed (`ledger verify --expect-head` proves the log up to it)') chain_head!: StatementChainHeadDto | null;
}

export class StatementTotalsDto {
  @Int() opening_balance!: number;
  @Int() closing_balance!: number;
  @Int() pending_points!: number;
}

export class CustomerStatementDto {
  @Text() customer_id!: string;
  @NullableText() name!: string | null;
  @Time('Inclusive') from!: string;
  @Time('Exclusive') to!: string;
  @Time() generated_at!: string;
  @Nested(() => StatementLogDto) log!: StatementLogDto;
  @NestedList(() => StatementCardDto, 'By code; at most 100') cards!: StatementCardDto[];
  @Bool('True when the customer holds more cards than a statement covers (100)') cards_truncated!: boolean;
  @Nested(() => StatementTotalsDto, 'Over the cards, in points') totals!: StatementTotalsDto;
}
