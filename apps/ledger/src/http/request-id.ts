import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// Long enough for a UUID, a trace id or a W3C traceparent; short and plain enough that a client
// cannot fill the log with kilobytes per request or forge log lines and terminal escapes.
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request in the logs and the `x-request-id` answer header: the caller's own id,
 * when it is short and made of safe characters, so a trace can be followed across services;
 * else a fresh UUID.
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTED_REQUEST_ID.test(given) ? given : randomUUID();
}
