import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class ListEventsParams {
  @ApiPropertyOptional({ description: 'Return events after this position (cursor)', default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  after = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit = 100;

  @ApiPropertyOptional({ description: 'Event type, e.g. customer.reward_redemptions.completed' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255)
  type?: string;

  @ApiPropertyOptional({ description: 'Voucherify customer id (cust_...)' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255)
  customer_id?: string;
}
