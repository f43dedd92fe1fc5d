export type SignatureStatus = 'verified' | 'unsigned' | 'imported' | 'operator' | 'reconciled';

/**
 * One event to append. `payloadJson` is the body's text as ingest parsed it: the bytes decoded as
 * UTF-8 (each bad sequence a U+FFFD). Only the bytes are stored, and that text beside them only
 * where they are not valid UTF-8 (`decoded_body`).
 */
export interface NewEvent {
  eventId: string;
  deliveryId: string | null;
  type: string;
  projectId: string | null;
  customerId: string | null;
  occurredAt: Date | null;
  occurredAtRaw: string | null;
  rawBody: Buffer;
  payloadJson: string;
  signatureStatus: SignatureStatus;
  envelopeFormat: string;
  requestHeaders: Record<string, string>;
  /** Stored already redacted (its customer was erased): the erasure that asked, as `ingest:<erasure id>`. */
  redactedBy?: string | null;
}

export type AppendResult =
  | { outcome: 'appended'; position: number }
  | { outcome: 'duplicate'; position: number }
  /** Same event id, different type or content: nothing stored. */
  | { outcome: 'conflict'; position: number; storedType: string };
