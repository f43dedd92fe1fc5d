import { EXPIRY_BASES, ExpiryBasis } from './get-points-report.query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { MONTH_PATTERN } from '@ledger/projections';
import { IsBoundedInteger, IsSafeText } from '../http/validation/param-decorators';
import { IsTimeParam } from '../http/validation/time-param';
import { IsCursor } from '../http/page-cursor';
import { decodeEntryCursor, decodeGapCursor } from './ledger-cursors';

export class AsOfParams {
  @ApiPropertyOptional({ description: 'Balances as they stood at this source time (ISO 8601), from the ledger', example: '2024-05-01T00:00:00Z' })
  @IsOptional() @IsTimeParam()
  as_of?: string;
}

export class LedgerPageParams {
  @ApiPropertyOptional({ description: 'Entries at or after this source time (ISO 8601)' })
  @IsOptional() @IsTimeParam()
  from?: string;

  @ApiPropertyOptional({ description: 'Entries before this source time (ISO 8601)' })
  @IsOptional() @IsTimeParam()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @IsBoundedInteger(1, 500)
  limit = 50;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional() @IsCursor(decodeEntryCursor)
  cursor?: string;
}

export class GapsPageParams {
  @ApiPropertyOptional({ description: 'Only this campaign' })
  @IsOptional() @IsSafeText()
  campaign_id?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @IsBoundedInteger(1, 500)
  limit = 100;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional() @IsCursor(decodeGapCursor)
  cursor?: string;
}

/** A period, as every report and statement takes it: `from` inclusive, `to` exclusive, and JSON or CSV. */
export class PeriodParams {
  @ApiProperty({ description: 'Start of the period (inclusive, ISO 8601)', example: '2024-05-01T00:00:00Z' })
  @IsTimeParam()
  from!: string;

  @ApiProperty({ description: 'End of the period (exclusive, ISO 8601)', example: '2024-06-01T00:00:00Z' })
  @IsTimeParam()
  to!: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: the same figures as CSV (or send Accept: text/csv)' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class PointsReportParams extends PeriodParams {
  @ApiPropertyOptional({ description: 'Only this campaign' })
  @IsOptional() @IsSafeText()
  campaign_id?: string;

  @ApiPropertyOptional({
    enum: EXPIRY_BASES,
    default: 'booked',
    description:
      "When an expiry counts. booked (the default): when Voucherify's expiry job took the points off, often 00:02 the day after they were due; the balances are then Voucherify's own at each end. due: when the points were due (their buckets' expires_at), for breakage by period; the balances at both ends follow, so opening + movements = closing holds either way",
  })
  @IsOptional() @IsIn(EXPIRY_BASES)
  expiry_basis?: ExpiryBasis;
}


export class RedemptionTriangleParams {
  @ApiProperty({ description: 'The campaign' })
  @IsSafeText()
  campaign_id!: string;

  @ApiPropertyOptional({ description: 'The first issue month (YYYY-MM); 11 months before `to` by default', example: '2024-01' })
  @IsOptional() @Matches(MONTH_PATTERN, { message: 'from must be a month such as 2024-01' })
  from?: string;

  @ApiPropertyOptional({ description: 'The last month (YYYY-MM, inclusive); the current month by default. At most 36 months after `from`', example: '2024-12' })
  @IsOptional() @Matches(MONTH_PATTERN, { message: 'to must be a month such as 2024-12' })
  to?: string;
}
