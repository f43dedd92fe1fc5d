import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsBoundedInteger, IsSafeText } from '../http/validation/param-decorators';
import { IsTimeParam } from '../http/validation/time-param';

export const SIGNATURE_STATUSES = ['verified', 'unsigned', 'imported', 'operator'] as const;

export class ListEventsParams {
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: '`desc`: newest first (the console\'s inbox); then page with `before`' })
  @IsOptional() @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';

  @ApiPropertyOptional({ description: 'With order=desc: return events before this position (cursor: the next_before of the previous page)' })
  @IsOptional() @IsBoundedInteger(1)
  before?: number;

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

  @ApiPropertyOptional({ enum: SIGNATURE_STATUSES, description: 'How the event came in: a checked webhook, an unsigned one (no secret configured), an import, an operator' })
  @IsOptional() @IsIn(SIGNATURE_STATUSES)
  signature_status?: (typeof SIGNATURE_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Received at or after this time (ISO 8601)' })
  @IsOptional() @IsTimeParam()
  received_from?: string;

  @ApiPropertyOptional({ description: 'Received before this time (ISO 8601)' })
  @IsOptional() @IsTimeParam()
  received_to?: string;
}
