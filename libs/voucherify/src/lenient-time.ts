/**
 * Parses the ISO 8601 timestamps Voucherify sends, which are not always clean:
 * `"2024-05-13T10: 24: 01.084Z"` (spaces after colons) and microsecond precision occur.
 * Returns null for anything that still is not a date, and for instants outside the years
 * 0001–9999 (UTC): PostgreSQL has no year 0 and JavaScript writes year 10000 as `+010000-…`,
 * which PostgreSQL cannot read, so such a time could not be stored by a read model. Never throws.
 */
// Almost every timestamp already is clean UTC; it skips the rewriting below (a hot path in replay).
// V8's Date.parse truncates digits past the milliseconds, as the rewriting does. Hour 24 takes
// the long way: V8 reads `24:00:00.000` but not `24:00:00.00036`, which the rewriting trims.
const CLEAN_UTC = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function parseLenientTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
  if (CLEAN_UTC.test(value)) return inRange(Date.parse(value));
  const compact = value.replace(/\s+/g, '');
  // Date.parse accepts at most milliseconds; trim extra fractional digits.
  const normalised = compact.replace(/(\.\d{3})\d+/, '$1');
  if (!/^\d{4}-\d{2}-\d{2}([T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(normalised)) {
    return null;
  }
  return inRange(Date.parse(normalised));
}

// 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
const FIRST_MILLIS = -62135596800000;
const LAST_MILLIS = 253402300799999;

/** Whether a time lies within the years 0001–9999, the times every reader of the ledger can hold. */
export function isWithinYears1To9999(millis: number): boolean {
  return millis >= FIRST_MILLIS && millis <= LAST_MILLIS;
}

function inRange(millis: number): Date | null {
  return isWithinYears1To9999(millis) ? new Date(millis) : null;
}
