/**
 * Parses the ISO 8601 timestamps Voucherify sends, which are not always clean:
 * `"2024-05-13T10: 24: 01.084Z"` (spaces after colons) and microsecond precision occur.
 * Returns null for anything that still is not a date; never throws.
 */
export function parseLenientTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
  const compact = value.replace(/\s+/g, '');
  // Date.parse accepts at most milliseconds; trim extra fractional digits.
  const normalised = compact.replace(/(\.\d{3})\d+/, '$1');
  if (!/^\d{4}-\d{2}-\d{2}([T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(normalised)) {
    return null;
  }
  const millis = Date.parse(normalised);
  return Number.isNaN(millis) ? null : new Date(millis);
}
