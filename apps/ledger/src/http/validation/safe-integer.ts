/**
 * Integers of the read API (positions, ids, limits). A query string is text: only plain decimal
 * digits are read as a number ("1e3", " 5", "0x10" are not), and the value must fit both a
 * PostgreSQL bigint and a JavaScript number exactly. `Number("9223372036854775808")` is a valid
 * JavaScript integer that PostgreSQL refuses as a bigint (which was a 500).
 */
export const MAX_SAFE_POSITION = Number.MAX_SAFE_INTEGER; // 2^53 - 1 < 2^63 - 1, PostgreSQL's bigint

/** The number `text` spells in plain decimal digits, else the input unchanged (for the validator to refuse). */
export function parseDecimal(text: unknown): unknown {
  return typeof text === 'string' && /^\d{1,16}$/.test(text) ? Number(text) : text;
}

/** `text` as an integer within [min, MAX_SAFE_POSITION], or null. */
export function parseBoundedInteger(text: unknown, min: number): number | null {
  const value = parseDecimal(text);
  return typeof value === 'number' && value >= min && value <= MAX_SAFE_POSITION ? value : null;
}
