import { createHmac, timingSafeEqual } from 'node:crypto';
import { stripJsonWhitespace } from './strip-json-whitespace';

export type SignatureStatus = 'verified' | 'unsigned';

export type SignatureCheck =
  | { ok: true; status: SignatureStatus }
  | { ok: false; reason: 'missing_signature' | 'invalid_signature' };

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function signPayload(secret: string, payload: Buffer | string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/**
 * Checks `x-voucherify-signature` against every configured secret (several secrets allow a
 * rotation without downtime), over the raw bytes first and then over the whitespace-stripped
 * bytes, because both forms occur on the wire. Comparison is constant-time.
 *
 * With no secret configured, the payload is accepted as `unsigned` (development only; the
 * service refuses to start in production without a secret).
 */
export function verifySignature(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secrets: readonly string[],
): SignatureCheck {
  if (secrets.length === 0) return { ok: true, status: 'unsigned' };
  if (!signatureHeader) return { ok: false, reason: 'missing_signature' };

  const given = signatureHeader.trim().toLowerCase();
  if (!HEX_SHA256.test(given)) return { ok: false, reason: 'invalid_signature' };
  const givenBytes = Buffer.from(given, 'hex');

  const candidates = [rawBody];
  let matched = false;
  for (let i = 0; i < candidates.length; i++) {
    for (const secret of secrets) {
      const expected = createHmac('sha256', secret).update(candidates[i]).digest();
      // Evaluate every secret even after a match so timing does not reveal which one matched.
      if (timingSafeEqual(expected, givenBytes)) matched = true;
    }
    if (matched) break;
    if (i === 0) candidates.push(stripJsonWhitespace(rawBody));
  }
  return matched ? { ok: true, status: 'verified' } : { ok: false, reason: 'invalid_signature' };
}
