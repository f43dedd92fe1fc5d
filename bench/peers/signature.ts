import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a peer author would write: HMAC-SHA256 of the raw body, hex, compared in constant time. */
export function signatureMatches(rawBody: Buffer, signature: unknown, secret: string): boolean {
  if (typeof signature !== 'string') return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The identity and type of a v2024-01-01 webhook, as the service reads them; undefined if absent. */
export function eventOf(body: any): { id: string; type: string } | undefined {
  const id = body?.event?.id ?? body?.id;
  const type = body?.event?.type ?? body?.type;
  return typeof id === 'string' && typeof type === 'string' ? { id, type } : undefined;
}

/** Tells the bench the port the peer listens on (it is started with fork). */
export function announce(port: number): void {
  process.send!(port);
}
