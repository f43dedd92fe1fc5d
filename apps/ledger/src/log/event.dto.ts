import { ApiProperty } from '@nestjs/swagger';
import { AnyObject, Enum, Int, Nested, NullableText, NullableTime, Text, TextMap, Time } from '../http/openapi-props';

/** An event of the log as /events shows it (built as JSON text by event.presenter.ts; this is its description). */
export class EventSummaryDto {
  @Int('Global position in the log', { minimum: 1 }) position!: number;
  @Text('The event id (event.id; the envelope id for the retired v2018 format)') event_id!: string;
  @NullableText('The envelope id (one per delivery)') delivery_id!: string | null;
  @Text('The event type, e.g. customer.rewarded') type!: string;
  @NullableText() project_id!: string | null;
  @NullableText('Voucherify customer id the event is about, when it names one') customer_id!: string | null;
  @NullableTime('Source time, when it could be read') occurred_at!: string | null;
  @NullableText('Source time as sent') occurred_at_raw!: string | null;
  @Time('When the service stored it') received_at!: string;
  @Enum(['verified', 'unsigned', 'imported', 'operator'], 'How it got in: a checked signature, no secret configured, `ledger import`, or an operator action')
  signature_status!: string;
  @Text('v2024-01-01, or v2018 for the retired format', { example: 'v2024-01-01' }) envelope_format!: string;
  @AnyObject('The stored envelope as JSON') payload!: Record<string, unknown>;
}

export class EventPageDto {
  @ApiProperty({ type: [EventSummaryDto] }) data!: EventSummaryDto[];
  @ApiProperty({ type: 'integer', nullable: true, required: false, description: 'Oldest first (order=asc, the default): pass as `after` for the next page; null at the end' })
  next_after?: number | null;
  @ApiProperty({ type: 'integer', nullable: true, required: false, description: 'Newest first (order=desc): pass as `before` for the next page; null at the end' })
  next_before?: number | null;
}

export class RawBodyDto {
  @Enum(['base64']) encoding!: string;
  @Int('Bytes') size!: number;
  @Text('SHA-256 of the bytes, hex', { pattern: '^[0-9a-f]{64}$' }) sha256!: string;
  @ApiProperty({ type: String, format: 'byte', description: 'The exact bytes received, base64' }) data!: string;
}

export class EventDetailDto extends EventSummaryDto {
  @Text('The PostgreSQL transaction that stored it (xid8, decimal): with position, the commit-safe order', { pattern: '^[0-9]+$' })
  transaction_id!: string;
  @TextMap('The kept request headers') request_headers!: Record<string, string>;
  @Nested(() => RawBodyDto) raw_body!: RawBodyDto;
}
