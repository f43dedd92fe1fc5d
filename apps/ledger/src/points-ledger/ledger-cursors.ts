import { isIssuedTime } from '../http/validation/time-param';
import { textParamProblem } from '../http/validation/safe-text';
import { decodeCursorObject } from '../http/page-cursor';

/* The ledger's cursors, opaque to clients (http/page-cursor.ts): a card's entries and the gaps. */

const issuedTime = (at: unknown) => at === null || isIssuedTime(at);

/** Where a card's ledger page ended: the time and chain position of its last entry. */
export interface EntryCursor {
  at: string | null;
  seq: number;
}

export function decodeEntryCursor(cursor: unknown): EntryCursor | string {
  const value = decodeCursorObject(cursor);
  if (typeof value === 'string') return value;
  if (!issuedTime(value.at) || !Number.isSafeInteger(value.seq) || (value.seq as number) < 0 || (value.seq as number) > 2 ** 31) {
    return 'cursor is not one this API issued';
  }
  return { at: value.at as string | null, seq: value.seq as number };
}

/** Where a page of gaps ended: the card and the entry after the gap. */
export interface GapCursor {
  voucherId: string;
  entryKey: string;
}

export function decodeGapCursor(cursor: unknown): GapCursor | string {
  const value = decodeCursorObject(cursor);
  if (typeof value === 'string') return value;
  if (textParamProblem('v', value.voucherId) || textParamProblem('k', value.entryKey, 300)) return 'cursor is not one this API issued';
  return { voucherId: value.voucherId as string, entryKey: value.entryKey as string };
}
