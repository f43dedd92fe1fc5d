import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { IsBoundedInteger, IsSafeText } from '../http/validation/param-decorators';
import { Enum, Int, NestedList, NullableText, NullableTime, Text, TextList, Time } from '../http/openapi-props';

/* What will expire (GET /reports/expiring-points) and reading it again (POST /admin/expiring-points/refresh). */

export const EXPIRY_SOURCES = ['voucherify_export', 'webhooks'] as const;

export class ExpiringPointsParams {
  @ApiPropertyOptional({ description: 'Only this campaign' })
  @IsOptional() @IsSafeText()
  campaign_id?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 36, default: 12, description: 'Months ahead, the current one first' })
  @IsOptional() @IsBoundedInteger(1, 36)
  months = 12;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: one row per card and month (or send Accept: text/csv)' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class ExpiringMonthDto {
  @Text('YYYY-MM', { example: '2027-01' }) month!: string;
  @Int('Points due to expire in the month') points!: number;
  @Int('Cards with points due then') cards!: number;
}

export class CampaignExpiringPointsDto {
  @Text() campaign_id!: string;
  @NullableText() campaign_name!: string | null;
  @Enum(
    EXPIRY_SOURCES,
    "voucherify_export: every active point bucket, from Voucherify's points-expiration export; webhooks: each card's next expiry only (loyalty_card.next_expiration_*), a lower bound",
  )
  source!: (typeof EXPIRY_SOURCES)[number];
  @NullableTime('When the figures were read from Voucherify; for webhooks, the newest card snapshot that told them') read_at!: string | null;
  @NullableText('The last read of the buckets failed: why (the figures are those of the read before)') read_error!: string | null;
  @NestedList(() => ExpiringMonthDto, 'Every month of the window, in order, zero included') months!: ExpiringMonthDto[];
  @Int() total_points!: number;
}

export class ExpiringPointsDto {
  @Time('Points due from this day (today, UTC)') from!: string;
  @Time('Up to this day (exclusive): the first day of the month after the window') to!: string;
  @NestedList(() => CampaignExpiringPointsDto) campaigns!: CampaignExpiringPointsDto[];
}

export class RefreshExpiringPointsBody {
  @ApiPropertyOptional({ type: [String], description: 'The campaigns to read; every campaign the ledger knows when left out', example: ['camp_1'] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsSafeText(255, {}, { each: true })
  campaign_ids?: string[];
}

export class RefreshStartedDto {
  @TextList('The campaigns whose buckets are being read, one export each') campaign_ids!: string[];
}
