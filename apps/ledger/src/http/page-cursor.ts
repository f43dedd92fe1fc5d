import { ValidateBy } from 'class-validator';
import { textParamProblem } from './validation/safe-text';

/**
 * The opaque cursors of the API's lists (ledger entries, gaps, refused deliveries...): base64url JSON of where the previous page ended.
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
