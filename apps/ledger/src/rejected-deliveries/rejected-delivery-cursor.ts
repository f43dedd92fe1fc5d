import { decodeCursorObject } from '../http/page-cursor';

/**
 * Where a page of refused deliveries ended: the last row's id. Rows are listed newest first by
 * id (the order they were recorded in); a time in the cursor would lose rejected_at's
 * microseconds in JavaScript and skip rows recorded in the same millisecond.
 */
export interface RejectionCursor {
  id: number;
}

export function decodeRejectionCursor(cursor: unknown): RejectionCursor | string {
  const value = decodeCursorObject(cursor);
  if (typeof value === 'string') return value;
  if (!Number.isSafeInteger(value.id) || (value.id as number) < 1) return 'cursor is not one this API issued';
  return { id: value.id as number };
}
