import { Refusal } from '../http/refusal';
import type { RefusalReason } from './ingest-result';

/** Why a delivery was refused. Each one is answered with its status and counted or kept. */
export type RejectionReason = RefusalReason | 'event_id_conflict' | 'payload_too_large' | 'unsupported_media_type';

/** The HTTP status of each refusal of the ingest use case. */
export const STATUS_BY_REFUSAL: Record<RefusalReason, number> = {
  missing_signature: 401,
  invalid_signature: 401,
  malformed_json: 400,
  payload_too_complex: 422,
  invalid_envelope: 422,
  unstorable_payload: 422,
};

export class WebhookRejection extends Refusal {
  constructor(
    status: number,
    readonly reason: RejectionReason,
    message: string,
    /** The sender passed the signature check: the refusal is kept whole for an operator. */
    readonly authenticated: boolean,
    details?: string[],
    eventId?: string,
  ) {
    super(status, reason, message, details, eventId);
    this.name = 'WebhookRejection';
  }
}
