/**
 * Removes the whitespace that lies outside JSON strings, byte by byte.
 *
 * Voucherify signs the payload "with whitespace outside strings removed". We must not
 * re-serialise parsed JSON to get that form (number and unicode formatting would change),
 * so this walks the raw bytes and keeps every byte of every string untouched.
 * Works on malformed input too: it never throws, the HMAC simply will not match.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

export function stripJsonWhitespace(raw: Buffer): Buffer {
  const out = Buffer.allocUnsafe(raw.length);
  let length = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      out[length++] = byte;
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (WHITESPACE.has(byte)) continue;
    if (byte === QUOTE) inString = true;
    out[length++] = byte;
  }
  return out.subarray(0, length);
}
