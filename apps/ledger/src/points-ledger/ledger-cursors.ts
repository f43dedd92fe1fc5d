import { ValidateBy } from 'class-validator';
import { textParamProblem } from '../http/validation/safe-text';
import { isIssuedTime } from '../http/validation/time-param';

/**
 * The opaque cursors of the ledger's lists: base64url JSON of where the previous page ended.
 * A cursor is input like any other: decoded and checked field by field before it reaches SQL.
 */
const MAX_CURSOR_LENGTH = 1000;

export const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** A cursor's JSON object, or why it is not one this API issued. */
export function decodeCursorObject(cursor: unknown): Record<string, unknown> | string {
  const problem = textParamProblem('cursor', cursor, MAX_CURSOR_LENGTH);
  if (problem) return problem;
  try {
    const value = JSON.parse(Buffer.from(cursor as string, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // not JSON: refused below
  }
  return 'cursor is not one this API issued';
}

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

/** A query parameter holding a cursor that `decoder` accepts. */
export function IsCursor(decoder: (cursor: unknown) => object | string): PropertyDecorator {
  return ValidateBy({
    name: 'isCursor',
    validator: {
      validate: (value) => typeof decoder(value) !== 'string',
      defaultMessage: (args) => {
        const decoded = decoder(args?.value);
        return typeof decoded === 'string' ? decoded : 'cursor is invalid';
      },
    },
  });
}
