import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REWARD_REDEMPTIONS_TABLE } from '@ledger/projections';
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

  /** A reward_redemptions row as the API answers it: the row without the state machine's inputs. */
  static fromRow(row: Record<string, unknown>): RewardRedemptionDto {
    const redemption = REWARD_REDEMPTIONS_TABLE.fromRow(row);
    const { observations: _inputs, created_at_untrusted: _createdAtUntrusted, ...shown } = REWARD_REDEMPTIONS_TABLE.toRow(redemption);
    // The table's row is untyped; its shape is this class's, checked by the contract test.
    return {
      ...shown,
      // A time shown here is the received time standing in for one that could not be believed.
      source_time_untrusted: redemption.createdAtUntrusted || redemption.transitions.some((t) => t.at_untrusted === true),
    } as RewardRedemptionDto;
  }
}

export class RewardRedemptionListDto {
  @ApiProperty({ type: [RewardRedemptionDto] }) data!: RewardRedemptionDto[];
}
