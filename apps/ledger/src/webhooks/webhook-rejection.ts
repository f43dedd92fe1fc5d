/** Why a delivery was refused. Each one is answered with its status and kept in rejected_deliveries. */
export type RejectionReason =
  | 'missing_signature'
  | 'invalid_signature'
  | 'malformed_json'
  | 'invalid_envelope'
  | 'unstorable_payload'
  | 'event_id_conflict'
  | 'payload_too_large'
  | 'unsupported_media_type';

export class WebhookRejection extends Error {
  constructor(
    readonly status: number,
    readonly reason: RejectionReason,
    message: string,
    readonly details?: string[],
    readonly eventId?: string,
  ) {
    super(message);
    this.name = 'WebhookRejection';
  }
}

/** The database cannot take the event now; Voucherify should retry later. */
export class IngestUnavailable extends Error {
  constructor(readonly cause: unknown) {
    super('the event store is temporarily unavailable; retry later');
    this.name = 'IngestUnavailable';
  }
}
