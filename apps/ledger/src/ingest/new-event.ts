import type { NewEvent, SignatureStatus } from '@ledger/event-store';
import type { WebhookEnvelope } from '@ledger/voucherify';

/** The row to append for one body that passed every check of the ingest use case. */
export function newEventFrom(
  envelope: WebhookEnvelope,
  rawBody: Buffer,
  payloadJson: string,
  signatureStatus: SignatureStatus,
  requestHeaders: Record<string, string>,
): NewEvent {
  return {
    eventId: envelope.eventId,
    deliveryId: envelope.deliveryId,
    type: envelope.type,
    projectId: envelope.projectId,
    customerId: envelope.customerId,
    occurredAt: envelope.occurredAt,
    occurredAtRaw: envelope.occurredAtRaw,
    rawBody,
    payloadJson,
    signatureStatus,
    envelopeFormat: envelope.format,
    requestHeaders,
  };
}
