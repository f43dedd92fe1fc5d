import type { LoggerService } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ApiError } from './api-error';

/**
 * Answers with an ApiError: the JSON error body every endpoint uses (and Retry-After on 503).
 * Server-side failures are logged with what was thrown (503, the database being away, as a
 * warning); refusals of the client's request are not errors of ours and are not logged here.
 */
export function sendApiError(
  reply: FastifyReply,
  error: ApiError,
  thrown: unknown,
  logger: LoggerService,
  context: Record<string, unknown>,
): FastifyReply {
  if (error.status >= 500) {
    (error.status === 503 ? logger.warn : logger.error).call(logger, { err: thrown, code: error.code, ...context }, error.message);
  }
  if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
  const body: Record<string, unknown> = { status: error.status, code: error.code, message: error.message, ...error.extra };
  if (error.details) body.details = error.details;
  if (error.eventId) body.event_id = error.eventId;
  return reply.status(error.status).type('application/json').send(body);
}
