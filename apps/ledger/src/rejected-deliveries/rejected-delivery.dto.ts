import { ApiProperty } from '@nestjs/swagger';

export class RejectedDeliveryDto {
  @ApiProperty({ type: 'integer', example: 42 })
  id!: number;

  @ApiProperty({ format: 'date-time', description: 'When it was refused' })
  rejected_at!: string;

  @ApiProperty({ type: 'integer', description: 'The HTTP status answered', example: 422 })
  status_code!: number;

  @ApiProperty({ description: 'The refusal code answered, e.g. invalid_envelope', example: 'invalid_envelope' })
  reason!: string;

  @ApiProperty({ type: String, nullable: true, description: 'More about why (first 2,000 characters)' })
  detail!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The delivery's event id, when it could be read" })
  event_id!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The kept request headers (content-type, user-agent, x-voucherify-signature)',
  })
  request_headers!: Record<string, string>;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Size of the whole body in bytes' })
  body_size!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The start of the body as UTF-8 text (the first KiB kept; invalid bytes shown as U+FFFD)',
  })
  body_start!: string | null;

  @ApiProperty({ description: 'Whether the body was longer than body_start' })
  body_truncated!: boolean;
}

export class RejectedDeliveryPageDto {
  @ApiProperty({ type: [RejectedDeliveryDto], description: 'Newest first' })
  data!: RejectedDeliveryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null at the end' })
  next_cursor!: string | null;
}

export class RefusalCountDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the minute' })
  minute!: string;

  @ApiProperty({ example: 'invalid_signature' })
  reason!: string;

  @ApiProperty({ type: 'integer', example: 401 })
  status_code!: number;

  @ApiProperty({
    description:
      'false: an unauthenticated refusal (401, 413, 415), only counted; true: a refusal of a signed sender, ' +
      'each kept in /admin/rejected-deliveries (recording is capped at 50 a second, so a burst may count fewer)',
  })
  authenticated!: boolean;

  @ApiProperty({ type: 'integer', description: 'Deliveries refused in that minute' })
  deliveries!: number;

  @ApiProperty({ type: 'integer', description: 'Their body bytes, summed' })
  body_bytes!: number;
}

export class RefusalCountsDto {
  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ type: [RefusalCountDto], description: 'Minutes with refusals only, oldest first' })
  data!: RefusalCountDto[];
}
