/**
 * A place in the log in commit-safe order: the last event's (transaction id, position). A bare
 * position is not enough: a transaction still open when a reader passes can commit a lower
 * position afterwards, which a "position > N" reader would never see. Every reader in this order
 * (the projectors and rebuilds, `GET /events/stream`, `ledger export`) reads through readAfter
 * (log-reader.ts), only below the oldest transaction still running, so starting again from a
 * cursor gives nothing twice and misses nothing. A projection's checkpoint is one too.
 */
export interface LogCursor {
  transactionId: string;
  position: number;
}

/** Before the first event. */
export const LOG_START: LogCursor = { transactionId: '0', position: 0 };

const MAX_XID8 = 2n ** 64n - 1n;

/** `<transaction_id>:<position>`: the stream's event ids and the export's `--after`. */
export function formatLogCursor(cursor: LogCursor): string {
  return `${cursor.transactionId}:${cursor.position}`;
}

/** The cursor `text` spells, or undefined; both parts must fit their types (xid8; a bigint that is a safe JavaScript integer). */
export function parseLogCursor(text: string): LogCursor | undefined {
  const match = /^(\d{1,20}):(\d{1,16})$/.exec(text.trim());
  if (!match || BigInt(match[1]) > MAX_XID8 || Number(match[2]) > Number.MAX_SAFE_INTEGER) return undefined;
  return { transactionId: BigInt(match[1]).toString(), position: Number(match[2]) };
}
