import { ValidateBy } from 'class-validator';
import { decodeCursor, InvalidCursorError } from '@ledger/projections';
import { textParamProblem } from '../http/validation/safe-text';
import { isIssuedTime } from '../http/validation/time-param';

const MAX_CURSOR_LENGTH = 1000;

/** Why `cursor` is not one the points-history route issued, or null when it may be ('' is the first page, as before). */
export function pointsHistoryCursorProblem(cursor: unknown): string | null {
  const textProblem = textParamProblem('cursor', cursor, MAX_CURSOR_LENGTH, true);
  if (textProblem || cursor === '') return textProblem;
  let position;
  try {
    position = decodeCursor(cursor as string);
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
