import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pickKeptHeaders } from '../webhooks/kept-headers';
import { RejectedDeliveries } from '../webhooks/rejected-deliveries';
import { WEBHOOK_PATH } from '../webhooks/webhooks.controller';
import { toApiError } from './api-error';
import { Metrics } from '../metrics/metrics.service';

/**
 * The one place errors become HTTP answers. It also records every refused webhook delivery,
 * including those Fastify refuses before any controller runs (413, 415).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(
    private readonly rejectedDeliveries: RejectedDeliveries,
    private readonly metrics: Metrics,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = toApiError(exception);

    if (error.status >= 500) {
      const log = error.status === 503 ? 'warn' : 'error';
      this.logger[log]({ err: exception, code: error.code, url: request.url }, error.message);
    }
    const isWebhook = request.url.split('?')[0] === WEBHOOK_PATH;
    if (isWebhook) {
      this.metrics.ingested.inc({ type: 'none', outcome: error.code });
      this.metrics.ingestDuration.observe({ outcome: error.code }, reply.elapsedTime / 1000);
    }
    if (isWebhook && error.status < 500) {
      this.logger.warn({ reason: error.code, eventId: error.eventId }, 'webhook delivery refused');
      await this.rejectedDeliveries.record({
        statusCode: error.status,
        reason: error.code,
        detail: [error.message, ...(error.details ?? [])].join('\n'),
        eventId: error.eventId,
        headers: pickKeptHeaders(request.headers),
        // Bodies of unauthenticated senders are not kept: only the size.
        body: Buffer.isBuffer(request.body) && error.status !== 401 ? request.body : undefined,
        bodySize: Buffer.isBuffer(request.body) ? request.body.length : undefined,
      });
    }

    if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
    const body: Record<string, unknown> = { status: error.status, code: error.code, message: error.message, ...error.extra };
    if (error.details) body.details = error.details;
    if (error.eventId) body.event_id = error.eventId;
    reply.status(error.status).type('application/json').send(body);
  }
}
