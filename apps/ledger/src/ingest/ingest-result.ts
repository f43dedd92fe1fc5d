/** Why a body was not stored. HTTP statuses are chosen at the edge (webhook-refusals.ts). */
export type RefusalReason =
  | 'missing_signature'
  | 'invalid_signature'
  | 'payload_too_complex'
  | 'malformed_json'
  | 'invalid_envelope'
  | 'unstorable_payload';

/** The event is in the log (stored now, or before) or its id is taken by other content. */
export interface IngestStored {
  outcome: 'appended' | 'duplicate' | 'conflict';
  eventId: string;
  type: string;
  position: number;
}

export interface IngestRefused {
  outcome: 'refused';
  reason: RefusalReason;
  message: string;
  details?: string[];
  eventId?: string;
  authenticated: boolean;
}

/**
 * What the ingest use case did with one body, whichever way it came in:
 * - appended: stored now; duplicate: the same event was stored before (nothing new stored);
 * - conflict: the event id is stored with another type or data (nothing stored);
 * - refused: never storable as sent. `authenticated` says whether the sender passed the
 *   signature check, which decides how much of the refusal is kept.
 * The database being away is not a result: it is thrown (IngestUnavailable), a retry may succeed.
 */
export type IngestResult = IngestStored | IngestRefused;

/** The event store cannot take the event now; the sender should retry later. */
export class IngestUnavailable extends Error {
  constructor(readonly cause: unknown) {
    super('the event store is temporarily unavailable; retry later');
    this.name = 'IngestUnavailable';
  }
}
