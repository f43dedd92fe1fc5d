import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsBoundedInteger, IsSafeText } from '../http/validation/param-decorators';

export class ListEventsParams {
  @ApiPropertyOptional({ description: 'Return events after this position (cursor)', default: 0 })
  @IsOptional() @IsBoundedInteger(0)
  after = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, description: 'At most this many events; a page also stops at 4 MiB of stored bodies' })
  @IsOptional() @IsBoundedInteger(1, 1000)
  limit = 100;

  @ApiPropertyOptional({ description: 'Event type, e.g. customer.reward_redemptions.completed' })
  @IsOptional() @IsSafeText()
  type?: string;

  @ApiPropertyOptional({ description: 'Voucherify customer id (cust_...)' })
  @IsOptional() @IsSafeText()
  customer_id?: string;
}
