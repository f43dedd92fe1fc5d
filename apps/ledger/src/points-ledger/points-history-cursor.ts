import { ValidateBy } from 'class-validator';
import { textParamProblem } from '../http/validation/safe-text';
import { isIssuedTime } from '../http/validation/time-param';

const MAX_CURSOR_LENGTH = 1000;

/** Where a page of the points history ended: the last entry's time, card and place in that card's chain. */
export interface PointsHistoryPosition {
  occurredAt: string | null;
  voucherId: string;
  seq: number;
}

export class InvalidCursorError extends Error {}

export function encodePointsHistoryCursor(position: PointsHistoryPosition): string {
  return Buffer.from(JSON.stringify([position.occurredAt, position.voucherId, position.seq])).toString('base64url');
}

export function decodePointsHistoryCursor(cursor: string): PointsHistoryPosition {
  try {
    const [occurredAt, voucherId, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const badTime = occurredAt !== null && (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt)));
    if (badTime || typeof voucherId !== 'string' || !Number.isSafeInteger(seq) || seq < 0 || seq > 2 ** 31) throw new Error('shape');
    return { occurredAt, voucherId, seq };
  } catch {
    throw new InvalidCursorError('cursor is not one this API issued');
  }
}

/** Why `cursor` is not one the points-history route issued, or null when it may be ('' is the first page, as before). */
export function pointsHistoryCursorProblem(cursor: unknown): string | null {
  const textProblem = textParamProblem('cursor', cursor, MAX_CURSOR_LENGTH, true);
  if (textProblem || cursor === '') return textProblem;
  let position;
  try {
    position = decodePointsHistoryCursor(cursor as string);
  } catch (error) {
    if (error instanceof InvalidCursorError) return error.message;
    throw error;
  }
  const { occurredAt, voucherId } = position;
  if (occurredAt !== null) {
    if (!isIssuedTime(occurredAt)) return 'cursor is not one this API issued (its time is out of range)';
  }
  if (textParamProblem('voucher id', voucherId)) {
    return 'cursor is not one this API issued (its ids are malformed)';
  }
  return null;
}

/** A `next_cursor` of the points-history route, decoded and checked before it reaches SQL. */
export function IsPointsHistoryCursor(): PropertyDecorator {
  return ValidateBy({
    name: 'isPointsHistoryCursor',
    validator: {
      validate: (value) => pointsHistoryCursorProblem(value) === null,
      defaultMessage: (args) => pointsHistoryCursorProblem(args?.value) ?? 'cursor is invalid',
    },
  });
}
