import { createHash } from 'node:crypto';
import type { EventDetailRow, EventPage, EventSummaryRow } from './event-log.reader';

/**
 * The answers of /events, as JSON text. The payload is PostgreSQL's jsonb text spliced in as is:
 * an event nested thousands deep (stored before the door refused such bodies) can never make
 * a recursive JSON.stringify overflow the stack and turn every page holding it into a 500.
 * Everything else is flat and serialised normally. Field names are snake_case, like Voucherify's.
 */
function metadata(event: EventSummaryRow) {
  return {
    position: event.position,
    event_id: event.eventId,
    delivery_id: event.deliveryId,
    type: event.type,
    project_id: event.projectId,
    customer_id: event.customerId,
    occurred_at: event.occurredAt?.toISOString() ?? null,
    occurred_at_raw: event.occurredAtRaw,
    received_at: event.receivedAt.toISOString(),
    signature_status: event.signatureStatus,
    envelope_format: event.envelopeFormat,
  };
}

/** `fields` as a JSON object with one more member, `payload`, whose value is JSON text already. */
function withPayload(fields: Record<string, unknown>, payloadJson: string): string {
  const head = JSON.stringify(fields);
  return `${head.slice(0, -1)},"payload":${payloadJson}}`;
}

export function presentEventSummaryJson(event: EventSummaryRow): string {
  return withPayload(metadata(event), event.payloadJson);
}

/**
 * `{ data: [event...], next_after }`: pass next_after as `after` for the next page. Newest first,
 * `{ data, next_before }`: pass next_before as `before`.
 */
export function presentEventPageJson(page: EventPage, newestFirst = false): string {
  const last = page.events[page.events.length - 1];
  const next = page.more && last ? last.position : null;
  return `{"data":[${page.events.map(presentEventSummaryJson).join(',')}],"${newestFirst ? 'next_before' : 'next_after'}":${JSON.stringify(next)}}`;
}

export function presentEventJson(event: EventDetailRow): string {
  return withPayload(
    {
      ...metadata(event),
      transaction_id: event.transactionId,
      request_headers: event.requestHeaders,
      raw_body: {
        encoding: 'base64',
        size: event.rawBody.length,
        sha256: createHash('sha256').update(event.rawBody).digest('hex'),
        data: event.rawBody.toString('base64'),
      },
    },
    event.payloadJson,
  );
}
