import type { FastifyReply } from 'fastify';
import type { ApiError } from './api-error';

/** Writes an ApiError as the JSON error body every endpoint answers with (and Retry-After on 503). */
export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
  const body: Record<string, unknown> = { status: error.status, code: error.code, message: error.message, ...error.extra };
  if (error.details) body.details = error.details;
  if (error.eventId) body.event_id = error.eventId;
  return reply.status(error.status).type('application/json').send(body);
}
