/**
 * The one place that decides what a PostgreSQL or network failure means. Every caller (ingest,
 * the read API, the projector, rebuilds, health) asks this instead of keeping its own list:
 *
 * - `unavailable`: the database is away or cannot take writes now (down, restarting, overloaded,
 *   too slow, a read-only standby after a failover). A retry later can succeed: HTTP answers 503
 *   with Retry-After; the projector waits and retries.
 * - `transient`: this statement lost a race (deadlock, serialization, lock timeout, cancelled, a
 *   plan invalidated by a migration). Retry it now.
 * - `unstorable`: the data itself can never be stored (text jsonb cannot hold, nesting past
 *   PostgreSQL's stack depth, a value out of range). It concerns this event only: 422.
 * - `other`: a bug or a state nobody planned for: 500, logged.
 */
export type DatabaseErrorKind = 'unavailable' | 'transient' | 'unstorable' | 'other';

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'the database system is',
];

/** 08 connection, 53 resources, 57P shutdown/crash, 25006 read-only transaction (a standby). */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)|^25006$/;
/** 40 rollback (serialization, deadlock), 55P03 lock not available, 57014 statement cancelled. */
const TRANSIENT_SQLSTATE = /^(40|55P03$|57014$)/;
/** 22 data exceptions (bad jsonb text, values out of range), 54 limits (stack depth, too complex). */
const UNSTORABLE_SQLSTATE = /^(22|54)/;

export class DatabaseDeadlineExceeded extends Error {
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
    this.name = 'DatabaseDeadlineExceeded';
  }
}

export function classifyDatabaseError(error: unknown): DatabaseErrorKind {
  if (error instanceof DatabaseDeadlineExceeded) return 'unavailable';
  // Duck-typed, not `instanceof Error`: socket errors come from Node's core and may belong to
  // another realm (as under Jest), and pg may wrap several attempts in an AggregateError.
  if (typeof error !== 'object' || error === null) return 'other';
  const { code, message, errors, name } = error as { code?: unknown; message?: unknown; errors?: unknown; name?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_NODE_CODES.has(code)) return 'unavailable';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (UNAVAILABLE_SQLSTATE.test(code)) return 'unavailable';
      if (TRANSIENT_SQLSTATE.test(code) || isStalePlan(code, message)) return 'transient';
      if (UNSTORABLE_SQLSTATE.test(code)) return 'unstorable';
    }
  }
  if (Array.isArray(errors) && errors.some((e) => classifyDatabaseError(e) === 'unavailable')) return 'unavailable';
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return 'unavailable';
  // The projector's compare-and-set lost to another writer: read again and retry.
  if (name === 'CheckpointMovedError') return 'transient';
  return 'other';
}

/**
 * A prepared statement whose result columns changed under it (a migration while this process
 * runs). Our named statements list their columns, so this should not happen; if it does, the
 * work is retried on a fresh connection.
 */
function isStalePlan(code: string, message: unknown): boolean {
  return code === '0A000' && /cached plan must not change result type/.test(String(message));
}

export function isStalePlanError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === 'string' && isStalePlan(code, message);
}

export const isDatabaseUnavailable = (error: unknown): boolean => classifyDatabaseError(error) === 'unavailable';

/** The connection (or the server behind it) is gone: drop the client, take another. */
export const isConnectionError = isDatabaseUnavailable;

/** Faults a retry can fix: never a reason to park an event or to refuse a webhook for good. */
export function isTransientError(error: unknown): boolean {
  const kind = classifyDatabaseError(error);
  return kind === 'unavailable' || kind === 'transient';
}

/** Rejects with DatabaseDeadlineExceeded when `work` takes longer than `ms`. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseDeadlineExceeded(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Bytes PostgreSQL cannot decode as UTF-8 (`convert_from` on a raw body that is not valid UTF-8;
 * ingest accepts such a body, decoding it the way Node does, with replacement characters).
 */
export function isUndecodableTextError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '22021';
}
