import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class PointsHistoryParams {
  @ApiPropertyOptional({ description: 'Only this card (v_...)' })
  @IsOptional() @IsString() @MaxLength(255)
  voucher_id?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit = 50;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional() @IsString() @MaxLength(1000)
  cursor?: string;
}

export const REWARD_REDEMPTION_STATES = ['CREATED', 'PENDING', 'COMPLETED', 'ROLLEDBACK'];
export class RewardRedemptionsParams {
  @ApiPropertyOptional({ enum: REWARD_REDEMPTION_STATES })
  @IsOptional() @IsIn(REWARD_REDEMPTION_STATES)
  state?: string;
}

export const HOLDING_STATUSES = ['active', 'used_up', 'disabled', 'deleted'];
export class VoucherHoldingsParams {
  @ApiPropertyOptional({ enum: HOLDING_STATUSES })
  @IsOptional() @IsIn(HOLDING_STATUSES)
  status?: string;
}
