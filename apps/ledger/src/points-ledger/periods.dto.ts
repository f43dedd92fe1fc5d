import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Int, Text } from '../http/openapi-props';

/* Closing a month (POST /admin/periods/{month}/close) and reopening it. */

export class PeriodChangeDto {
  @Text('YYYY-MM', { example: '2024-01' }) month!: string;
  @Text('The operator event stored') event_id!: string;
  @Int('Its position in the log: send it as X-Min-Position to read the report with it') position!: number;
}

export class ReopenPeriodBody {
  @ApiProperty({ description: 'Why the month is reopened (kept in the log and shown with the report)', example: 'late invoices from the auditor' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}
