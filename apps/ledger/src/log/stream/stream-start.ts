import { MAX_SAFE_POSITION, parseBoundedInteger } from '../../http/validation/safe-integer';
import { LogCursor, parseLogCursor } from '@ledger/event-store';

/**
 * Where a stream starts, as asked: an event id the stream sent (`<transaction>:<position>`,
 * from Last-Event-ID or `after`), or a bare log position (`after=42`: after that event, in
 * commit-safe order; 0: from the start).
 */
export type StreamStart = { cursor: LogCursor } | { position: number };

export function parseStreamStart(text: unknown): StreamStart | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const cursor = parseLogCursor(text);
  if (cursor) return { cursor };
  const position = parseBoundedInteger(text.trim(), 0);
  return position === null ? undefined : { position };
}

export const STREAM_START_PROBLEM =
  `must be a log position (0..${MAX_SAFE_POSITION}) or an event id this stream sent (<transaction_id>:<position>)`;
