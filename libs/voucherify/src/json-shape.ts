/**
 * Limits on the shape of a JSON body, checked on the raw bytes before anything parses them.
 *
 * Why: Voucherify's payloads are a few levels deep and carry a few hundred keys. A body nested
 * thousands of levels deep overflows PostgreSQL's jsonb parser (SQLSTATE 54001) and JavaScript's
 * JSON.stringify later; one with hundreds of thousands of keys costs jsonb seconds of CPU. Both
 * are refused at the door, before the database sees them.
 *
 * The log stores each body once, as its bytes; what reads it as jsonb (an erasure, a duplicate
 * compared in the database) must never meet a body PostgreSQL's jsonb refuses. So the few things
 * JSON.parse accepts and jsonb does not are refused here too (`unstorable`): the character U+0000
 * (`\u0000`), a lone UTF-16 surrogate escape, and a number past what `numeric` holds (more than
 * 1,000 digits, or an exponent past ±1,000: no Voucherify figure comes near).
 */
export interface JsonShapeLimits {
  maxDepth: number;
  maxKeys: number;
}

export type JsonShapeCheck = { ok: true } | { ok: false; problem: string; unstorable?: true };

/** The most digits, and the largest exponent, of a number the log takes (jsonb's numeric holds far more). */
const MAX_NUMBER_DIGITS = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const LOWER_U = 0x75;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

const unstorable = (problem: string): JsonShapeCheck => ({ ok: false, problem, unstorable: true });

/** The value of the four hex digits at `at`, or -1 when they are not four hex digits (JSON.parse judges). */
function hex4(body: Buffer, at: number): number {
  if (at + 4 > body.length) return -1;
  const text = body.toString('latin1', at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(text) ? Number.parseInt(text, 16) : -1;
}

/** A `\u` escape at `at` (the `u`): what jsonb refuses in it, and how many bytes past the `u` it spans (a surrogate pair: two escapes). */
function scanEscape(body: Buffer, at: number): { skip: number; problem: string | null } {
  const unit = hex4(body, at + 1);
  if (unit === 0) return { skip: 4, problem: 'the body holds the character U+0000 (\\u0000), which the log cannot store' };
  if (unit >= 0xdc00 && unit <= 0xdfff) return { skip: 4, problem: 'the body holds a lone low surrogate escape, which the log cannot store' };
  if (unit >= 0xd800 && unit <= 0xdbff) {
    const next = body[at + 5] === BACKSLASH && body[at + 6] === LOWER_U ? hex4(body, at + 7) : -1;
    if (!(next >= 0xdc00 && next <= 0xdfff)) return { skip: 4, problem: 'the body holds a lone high surrogate escape, which the log cannot store' };
    return { skip: 10, problem: null };
  }
  return { skip: 4, problem: null };
}

/** The number starting at `at`: its end, or a problem when it is past what the log stores. */
function scanNumber(body: Buffer, at: number): { end: number; problem: string | null } {
  let digits = 0;
  let i = at;
  for (; i < body.length; i++) {
    const byte = body[i];
    if (isDigit(byte)) digits++;
    else if (byte === LOWER_E || byte === UPPER_E) {
      let exponent = 0;
      i++;
      if (body[i] === 0x2b || body[i] === 0x2d) i++;
      for (; i < body.length && isDigit(body[i]); i++) exponent = Math.min(exponent * 10 + (body[i] - 0x30), 1e9);
      if (exponent > MAX_NUMBER_DIGITS) return { end: i, problem: `the body holds a number with an exponent past ±${MAX_NUMBER_DIGITS}, which the log does not store` };
      break;
    } else if (byte !== 0x2e && byte !== 0x2d) break;
  }
  if (digits > MAX_NUMBER_DIGITS) return { end: i, problem: `the body holds a number of more than ${MAX_NUMBER_DIGITS} digits, which the log does not store` };
  return { end: i, problem: null };
}

/**
 * One pass over the bytes, outside strings: `{`/`[` open a level, `}`/`]` close one, `:` ends a
 * key, a digit or `-` starts a number; inside strings, `\u` escapes are looked at. Malformed
 * JSON is not judged here (JSON.parse does that next); this only stops early when a limit is
 * passed, so its cost is bounded by the body size limit.
 */
export function checkJsonShape(body: Buffer, limits: JsonShapeLimits): JsonShapeCheck {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) {
        i++;
        if (body[i] === LOWER_U) {
          const escape = scanEscape(body, i);
          if (escape.problem) return unstorable(escape.problem);
          i += escape.skip;
        }
      } else if (byte === QUOTE) inString = false;
      continue;
    }
    if (isDigit(byte) || byte === 0x2d) {
      const number = scanNumber(body, i);
      if (number.problem) return unstorable(number.problem);
      i = number.end - 1;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limits.maxDepth) {
        return { ok: false, problem: `the body is nested more than ${limits.maxDepth} levels deep` };
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
    else if (byte === COLON && ++keys > limits.maxKeys) {
      return { ok: false, problem: `the body has more than ${limits.maxKeys} keys` };
    }
  }
  return { ok: true };
}
