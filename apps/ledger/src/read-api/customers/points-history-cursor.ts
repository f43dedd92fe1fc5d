import { ValidateBy } from 'class-validator';
import { decodeCursor, InvalidCursorError } from '@ledger/projections';
import { textParamProblem } from '../../http/validation/safe-text';

// The form Date#toISOString gives for the years PostgreSQL's timestamptz shares with JavaScript
// and that the ledger stores (0001..9999). JavaScript also reads year 0 and six-digit years
// (+275760-09-13), which PostgreSQL refuses: a hand-made cursor holding one was a 500.
const ISSUED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

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
    const valid = ISSUED_TIME.test(occurredAt) && !occurredAt.startsWith('0000') && new Date(occurredAt).toISOString() === occurredAt;
    if (!valid) return 'cursor is not one this API issued (its time is out of range)';
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
