import { createHash } from 'node:crypto';

export const GENESIS_HASH = Buffer.alloc(32);

export interface ChainedFields {
  eventId: string;
  type: string;
  occurredAtRaw: string | null;
  rawBody: Buffer;
}

const SEPARATOR = Buffer.from([0]);

/** SHA-256 over the previous hash and the event's identity, type, source time and exact bytes. */
export function linkHash(previous: Buffer, event: ChainedFields): Buffer {
  return createHash('sha256')
    .update(previous)
    .update(event.eventId)
    .update(SEPARATOR)
    .update(event.type)
    .update(SEPARATOR)
    .update(event.occurredAtRaw ?? '')
    .update(SEPARATOR)
    .update(event.rawBody)
    .digest();
}
