import { parseLenientTimestamp } from './lenient-time';

/** Small, total readers for Voucherify payloads: wrong types read as absent, never throw. */
export function obj(value: unknown): Record<string, any> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, any>) : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** An unreadable amount: given, but not a whole number JavaScript holds exactly. */
export const UNREADABLE = null;

/**
 * A whole amount (points, a balance, a quantity): undefined when not given (absent or null),
 * UNREADABLE (null) when given but not a safe integer: a float, a number past 2^53 − 1 (which
 * JSON.parse has already rounded), Infinity (`1e400`), a string that is not all digits. Such a
 * value is never rounded or read as 0, so a read model can say it could not read it.
 */
export function amount(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : UNREADABLE;
  if (typeof value === 'string' && /^\s*-?\d{1,16}\s*$/.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : UNREADABLE;
  }
  return UNREADABLE;
}

/** An amount that may be left out when it is zero (Voucherify omits zero fields): absent reads as 0, unreadable stays null. */
export function amountOrZero(value: unknown): number | null {
  return absentAsZero(amount(value));
}

/** An amount already read (see `amount`), with absent as 0 and unreadable kept null. */
export function absentAsZero(read: number | null | undefined): number | null {
  return read === undefined ? 0 : read;
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

/**
 * `data.holder` when it is a customer (card events put the card's holder there). A holder
 * assignment puts a redeemable holder there instead (`rh_...`, `object: "redeemable_holder"`):
 * its id is no customer's, and reading it as one would invent a customer.
 */
export function customerHolder(data: Record<string, any>): Record<string, any> | undefined {
  const holder = obj(data.holder);
  if (!holder || holder.object === 'redeemable_holder' || str(holder.customer_id) !== undefined) return undefined;
  return holder;
}

/**
 * A calendar day as Voucherify writes expiry dates (`2024-05-31`, or a full time whose day is
 * taken), if it is a real one: `2024-02-30` is not (Date.parse would roll it over). For webhooks and
 * for export cells alike.
 */
export function calendarDay(value: unknown): string | undefined {
  const day = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(T[\d:.]+Z?)?$/.exec(value)?.[1] : undefined;
  return day !== undefined && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day) ? day : undefined;
}
