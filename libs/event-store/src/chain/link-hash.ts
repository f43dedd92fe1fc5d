import { createHash } from 'node:crypto';

export const GENESIS_HASH = Buffer.alloc(32);

export interface ChainedFields {
  eventId: string;
  type: string;
  occurredAtRaw: string | null;
  /**
   * SHA-256 of the raw body as it was received: the link commits to the bytes through their hash,
   * so an erasure can redact a body and keep the chain (the event keeps this hash as
   * `original_sha256`).
   */
  bodySha256: Buffer;
}

const SEPARATOR = Buffer.from([0]);
/** Form 2 of the chain (migration 1764000028000); form 1 hashed the bytes themselves. */
const FORM_2 = Buffer.from('ledger-chain-v2');

export const sha256 = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/** SHA-256 over the previous hash and the event's identity, type, source time and body hash. */
export function linkHash(previous: Buffer, event: ChainedFields): Buffer {
  return createHash('sha256')
    .update(FORM_2)
    .update(SEPARATOR)
    .update(previous)
    .update(event.eventId)
    .update(SEPARATOR)
    .update(event.type)
    .update(SEPARATOR)
    .update(event.occurredAtRaw ?? '')
    .update(SEPARATOR)
    .update(event.bodySha256)
    .digest();
}
