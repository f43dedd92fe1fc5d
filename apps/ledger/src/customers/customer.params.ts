import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsBoundedInteger, IsSafeText } from '../http/validation/param-decorators';
import { IsPointsHistoryCursor } from '../points-ledger/points-history-cursor';
import { ApiProperty } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsCursor } from '../http/page-cursor';
import { PeriodParams } from '../points-ledger/ledger.params';
import { decodeSearchCursor } from './search-customers.query';

/** A statement's period: `from` inclusive, `to` exclusive; JSON or CSV. */
export class StatementParams extends PeriodParams {}

export class SearchCustomersParams {
  @ApiProperty({ description: 'Part of an email, name, phone, source id, card code or cust_ id; case-insensitive; 3 to 100 characters', example: 'ann@exa' })
  @IsSafeText(100) @Length(3, 100)
  q!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @IsBoundedInteger(1, 100)
  limit = 20;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional() @IsCursor(decodeSearchCursor)
  cursor?: string;
}

export class PointsHistoryParams {
  @ApiPropertyOptional({ description: 'Only this card (v_...)' })
  @IsOptional() @IsSafeText(undefined, { allowEmpty: true })
  voucher_id?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @IsBoundedInteger(1, 500)
  limit = 50;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional() @IsPointsHistoryCursor()
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
