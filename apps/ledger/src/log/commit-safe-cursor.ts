import { MAX_SAFE_POSITION } from '../http/validation/safe-integer';

/**
 * A place in the log in commit-safe order: the last event's `<transaction_id>:<position>`. A bare
 * position is not enough: a transaction still open when a reader passes can commit a lower
 * position afterwards, which a "position > N" reader would never see. Readers in this order
 * (the projectors, `ledger export`, `GET /events/stream`) only read below the oldest transaction
 * still running, so starting again from a cursor gives nothing twice and misses nothing.
 */
export interface CommitSafeCursor {
  transactionId: string;
  position: number;
}

export const COMMIT_SAFE_START: CommitSafeCursor = { transactionId: '0', position: 0 };

const MAX_XID8 = 2n ** 64n - 1n;

export function formatCommitSafeCursor(cursor: CommitSafeCursor): string {
  return `${cursor.transactionId}:${cursor.position}`;
}

/** The cursor `text` spells, or undefined; both parts must fit their PostgreSQL types (xid8, bigint). */
export function parseCommitSafeCursor(text: string): CommitSafeCursor | undefined {
  const match = /^(\d{1,20}):(\d{1,16})$/.exec(text.trim());
  if (!match || BigInt(match[1]) > MAX_XID8 || Number(match[2]) > MAX_SAFE_POSITION) return undefined;
  return { transactionId: BigInt(match[1]).toString(), position: Number(match[2]) };
}
