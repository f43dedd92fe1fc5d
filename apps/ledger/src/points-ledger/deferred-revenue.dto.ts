import { Int, NestedList, NullableNested, NullableText, Num, Text, Time } from '../http/openapi-props';

/** A campaign's deferred revenue at one time (everything booked before it), by the cumulative method of IFRS 15. */
export class RevenuePositionDto {
  @Time('Figures count what was booked before this time') at!: string;
  @Text('The estimate in force: the value allocated to one point (decimal string)', { example: '0.0100' }) value_per_point!: string;
  @Text('The estimate in force: the share of issued points expected to be redeemed (decimal string)', { example: '0.80' }) expected_redemption_share!: string;
  @Text('The estimate in force: the operator event that set it') estimate_event_id!: string;
  @Int('Points issued to date: earned, added by hand and pending activated') points_issued!: number;
  @Int('Points redeemed to date: spent on rewards, less refunds') points_redeemed!: number;
  @Text('points_issued × expected_redemption_share (decimal string)') points_expected_to_be_redeemed!: string;
  @Text('points_issued × value_per_point, to the cent (decimal string)', { example: '100.00' }) allocated_value!: string;
  @Text('allocated_value × min(1, points_redeemed ÷ points_expected_to_be_redeemed), to the cent', { example: '25.00' }) recognised_to_date!: string;
  @Text('allocated_value − recognised_to_date', { example: '75.00' }) deferred!: string;
}

/**
 * The period's deferred revenue of one campaign (docs/deferred-revenue.md): the positions at both
 * ends, each with the estimate in force then, and the revenue recognised in between. A changed
 * estimate is caught up in the period it takes effect in; no earlier figure changes.
 */
export class DeferredRevenueDto {
  @Text('ISO 4217') currency!: string;
  @NullableNested(RevenuePositionDto, 'At the period\'s start; null before the campaign\'s first estimate (recognised 0 then)') opening!: RevenuePositionDto | null;
  @NullableNested(RevenuePositionDto, 'At the period\'s end; null before the campaign\'s first estimate') closing!: RevenuePositionDto | null;
  @NullableText('closing.recognised_to_date − opening.recognised_to_date; null when the two estimates are in different currencies', { example: '25.00' })
  recognised_in_period!: string | null;
}

/** One cell of the triangle: of the points issued in a month, the shares redeemed and expired by the end of a later month. */
export class TriangleCellDto {
  @Text('YYYY-MM', { example: '2024-03' }) month!: string;
  @Num('Share of the month\'s issued points redeemed by the end of this month (0 to 1)') redeemed_share!: number;
  @Num('Share of the month\'s issued points expired by the end of this month (0 to 1)') expired_share!: number;
}

export class TriangleRowDto {
  @Text('YYYY-MM: the month the points were issued in', { example: '2024-01' }) issue_month!: string;
  @Int() points_issued!: number;
  @NestedList(() => TriangleCellDto, 'From the issue month to the last month asked for') cells!: TriangleCellDto[];
}

/**
 * How past points behaved, beside the expected share of the estimate: for the points issued in
 * each month, the share redeemed and the share expired since. Spending and expiry are matched to
 * the oldest points of the card first (first in, first out).
 */
export class RedemptionTriangleDto {
  @Text() campaign_id!: string;
  @Text('YYYY-MM, the first issue month') from!: string;
  @Text('YYYY-MM, the last month (inclusive)') to!: string;
  @NullableNested(RevenuePositionDto, 'The estimate in force at the end of the last month, to compare its expected share with') estimate!: RevenuePositionDto | null;
  @NestedList(() => TriangleRowDto) rows!: TriangleRowDto[];
}
