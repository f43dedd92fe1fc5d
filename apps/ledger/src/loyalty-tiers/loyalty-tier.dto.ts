import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Bool, NestedList, NullableNested, NullableText, NullableTime, Text } from '../http/openapi-props';

/** A customer's loyalty tiers, served under GET /customers/{id}/loyalty-tiers. */
export class TierRefDto {
  @Text('ltr_...') id!: string;
  @NullableText() name!: string | null;
}

export class TierChangeDto {
  @Text('customer.loyalty.tier.joined, upgraded, downgraded, prolonged or left') event_type!: string;
  @NullableNested(TierRefDto) from!: TierRefDto | null;
  @NullableNested(TierRefDto) to!: TierRefDto | null;
  @NullableTime() at!: string | null;
  @Text() event_id!: string;
  @ApiPropertyOptional({ type: Boolean, description: 'Present (and true) only when `at` is the received time standing in for an unbelievable source time' })
  at_untrusted?: boolean;
}

export class LoyaltyTierDto {
  @Text() campaign_id!: string;
  @NullableText() campaign_name!: string | null;
  @NullableNested(TierRefDto, 'The tier now; null after `left`') tier!: TierRefDto | null;
  @NullableTime() since!: string | null;
  @Bool() source_time_untrusted!: boolean;
  @NestedList(() => TierChangeDto, 'Oldest first') history!: TierChangeDto[];
}

export class LoyaltyTierListDto {
  @ApiProperty({ type: [LoyaltyTierDto] }) data!: LoyaltyTierDto[];
}
