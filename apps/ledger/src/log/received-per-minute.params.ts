import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsTimeParam } from '../http/validation/time-param';

export class ReceivedPerMinuteParams {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start (inclusive, ISO 8601); default: 6 hours before `to`' })
  @IsOptional() @IsTimeParam()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End (exclusive, ISO 8601); default: now. At most 7 days after `from`' })
  @IsOptional() @IsTimeParam()
  to?: string;
}
