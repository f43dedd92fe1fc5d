import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from './api-error';
import { sendApiError } from './send-api-error';

const logger = new Logger('HttpError');

/**
 * Errors Fastify raises before any route runs (a URL whose percent-encoding is not UTF-8, e.g.
 * `/customers/%FF`) are answered with the service's own error body instead of Fastify's.
 */
export function answerFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  sendApiError(reply, toApiError(error), error, logger, { url: request.url });
}
