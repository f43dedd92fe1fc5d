/**
 * Limits on the shape of a JSON body, checked on the raw bytes before anything parses them.
 *
 * Why: Voucherify's payloads are a few levels deep and carry a few hundred keys. A body nested
 * thousands of levels deep overflows PostgreSQL's jsonb parser (SQLSTATE 54001) and JavaScript's
 * JSON.stringify later; one with hundreds of thousands of keys costs jsonb seconds of CPU. Both
 * are refused at the door, before the database sees them.
 */
export interface JsonShapeLimits {
  maxDepth: number;
  maxKeys: number;
}

export type JsonShapeCheck = { ok: true } | { ok: false; problem: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;

/**
 * One pass over the bytes, outside strings: `{`/`[` open a level, `}`/`]` close one, `:` ends a
 * key. Malformed JSON is not judged here (JSON.parse does that next); this only stops early
 * when a limit is passed, so its cost is bounded by the body size limit.
 */
export function checkJsonShape(body: Buffer, limits: JsonShapeLimits): JsonShapeCheck {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
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
