import { parseLenientTimestamp } from '@ledger/voucherify';

/** Small, total readers for Voucherify payloads: wrong types read as absent, never throw. */
export function obj(value: unknown): Record<string, any> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, any>) : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function int(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

// The same timestamps come back for every read model an event feeds (and for every event of a
// card): remembering the recent ones saves most of the parsing in a replay.
const recentTimes = new Map<string, string | null>();
const RECENT_TIMES_MAX = 4096;

/** ISO text of a leniently parsed timestamp, or null. */
export function time(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let iso = recentTimes.get(value);
  if (iso === undefined) {
    iso = parseLenientTimestamp(value)?.toISOString() ?? null;
    if (recentTimes.size >= RECENT_TIMES_MAX) recentTimes.clear();
    recentTimes.set(value, iso);
  }
  return iso;
}
