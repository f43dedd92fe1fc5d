import { createHash } from 'node:crypto';
import type { StoredEvent, StoredEventSummary } from '@ledger/event-store';

/** snake_case, like Voucherify's own API. */
export function presentEventSummary(event: StoredEventSummary) {
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
    payload: event.payload,
  };
}

export function presentEvent(event: StoredEvent) {
  return {
    ...presentEventSummary(event),
    transaction_id: event.transactionId,
    request_headers: event.requestHeaders,
    raw_body: {
      encoding: 'base64',
      size: event.rawBody.length,
      sha256: createHash('sha256').update(event.rawBody).digest('hex'),
      data: event.rawBody.toString('base64'),
    },
  };
}
