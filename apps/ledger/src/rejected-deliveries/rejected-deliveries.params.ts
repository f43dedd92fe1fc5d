import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsBoundedInteger, IsSafeText } from '../http/validation/param-decorators';
import { IsTimeParam } from '../http/validation/time-param';
import { IsCursor } from '../http/page-cursor';
import { decodeRejectionCursor } from './rejected-delivery-cursor';

export class RejectedDeliveriesParams {
  @ApiPropertyOptional({ description: 'Only this reason, e.g. invalid_envelope, event_id_conflict, malformed_json' })
  @IsOptional() @IsSafeText()
  reason?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 400, maximum: 599, description: 'Only this HTTP status answered' })
  @IsOptional() @IsBoundedInteger(400, 599)
  status?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Refused at or after this time (ISO 8601)' })
  @IsOptional() @IsTimeParam()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Refused before this time (ISO 8601)' })
  @IsOptional() @IsTimeParam()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @IsBoundedInteger(1, 500)
  limit = 50;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional() @IsCursor(decodeRejectionCursor)
  cursor?: string;
}

export class RefusalCountsParams {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start (inclusive, ISO 8601); default: 24 hours before `to`' })
  @IsOptional() @IsTimeParam()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End (exclusive, ISO 8601); default: now. At most 7 days after `from`' })
  @IsOptional() @IsTimeParam()
  to?: string;
}
