import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsSafeText } from '../http/validation/param-decorators';
import { Enum, Int, Nested, NestedList, NullableInt, NullableNested, NullableText, NullableTime, Text, Time } from '../http/openapi-props';

/* The shapes of /admin/erasures. The operator console reads them: add fields, never rename or remove one. */

export const ERASURE_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type ErasureStatus = (typeof ERASURE_STATUSES)[number];

export class ErasureRequestBody {
  @ApiProperty({ description: "The customer: Voucherify's id (cust_...) or the shop's source id", example: 'cust_0123' })
  @IsSafeText(200)
  customer!: string;

  @ApiPropertyOptional({ description: 'Why (kept in the erasure and its record on the chain: write no personal data here)', example: 'GDPR request #1234' })
  @IsOptional() @IsSafeText(500, { allowEmpty: true })
  reason?: string;
}

export class ErasurePreviewBody {
  @ApiProperty({ description: "The customer: Voucherify's id (cust_...) or the shop's source id", example: 'cust_0123' })
  @IsSafeText(200)
  customer!: string;
}

/** Removed fields by name (email, name, phone, metadata, ...), counted over the events. */
export const FieldCounts = () => ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Removed fields by name, counted over the events' });

export class ErasurePreviewDto {
  @Text('The customer as the ledger knows them (cust_...)') customer_id!: string;
  @Int('Events whose bodies hold personal data of theirs, to be redacted') events!: number;
  @FieldCounts() fields!: Record<string, number>;
  @Int('Refused deliveries whose kept prefix names them: the prefix is dropped') rejected_deliveries!: number;
  @NullableText('The erasure of this customer already done or under way (erasing twice is refused)') existing_erasure!: string | null;
}

export class ErasureProgressDto {
  @NullableInt('Events found to redact (once the scan ran)') events_found!: number | null;
}

export class ErasureResultDto {
  @Int() events_redacted!: number;
  @FieldCounts() fields!: Record<string, number>;
  @Int() rejected_deliveries_cleared!: number;
  @Text('The erasure record on the chain (an operator event)') record_event_id!: string;
  @Int() record_position!: number;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the rewritten tables were vacuumed (dead row versions gone); null while not tried' })
  vacuumed!: boolean | null;
}

export class ErasureDto {
  @Text('er_...') id!: string;
  @Text() customer_id!: string;
  @NullableText() reason!: string | null;
  @Text('api, cli or customer.deleted') requested_by!: string;
  @Enum(ERASURE_STATUSES) status!: ErasureStatus;
  @Time() requested_at!: string;
  @NullableTime() started_at!: string | null;
  @NullableTime() finished_at!: string | null;
  @Nested(() => ErasureProgressDto) progress!: ErasureProgressDto;
  @NullableNested(ErasureResultDto, 'Once done') result!: ErasureResultDto | null;
  @NullableText('Why it failed') error!: string | null;
}

export class ErasureListDto {
  @NestedList(() => ErasureDto, 'Newest first') data!: ErasureDto[];
}
