import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Bool, Enum, NestedList, NullableEnum, NullableInt, NullableText, NullableTime, OptionalText, Text,
} from '../http/openapi-props';

const STATES = ['CREATED', 'PENDING', 'COMPLETED', 'ROLLEDBACK'] as const;

export class RedemptionTransitionDto {
  @NullableEnum(STATES) from!: string | null;
  @Enum(STATES) to!: string;
  @NullableTime() at!: string | null;
  @Text() event_id!: string;
  @Bool('false: seen but not applied (see ignored_reason)') applied!: boolean;
  @OptionalText('Why it was not applied') ignored_reason?: string;
  @ApiPropertyOptional({ type: Boolean, description: 'Present (and true) only when `at` is the received time standing in for an unbelievable source time' })
  at_untrusted?: boolean;
}

export class RewardRedemptionDto {
  @Text('rewr_...') id!: string;
  @NullableEnum(STATES) state!: string | null;
  @NullableText() customer_id!: string | null;
  @NullableText() voucher_id!: string | null;
  @NullableText() campaign_id!: string | null;
  @NullableText() reward_id!: string | null;
  @NullableText() reward_name!: string | null;
  @NullableText() reward_type!: string | null;
  @NullableInt() points!: number | null;
  @NullableText() source_id!: string | null;
  @NullableTime() created_at!: string | null;
  @NullableTime() updated_at!: string | null;
  @NestedList(() => RedemptionTransitionDto) transitions!: RedemptionTransitionDto[];
  @Bool() points_unreadable!: boolean;
  @Bool() source_time_untrusted!: boolean;
}

export class RewardRedemptionListDto {
  @ApiProperty({ type: [RewardRedemptionDto] }) data!: RewardRedemptionDto[];
}
