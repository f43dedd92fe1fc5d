import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from '../http/api-error';
import { sendApiError } from '../http/send-api-error';
import { Metrics } from '../metrics/metrics.service';
import { pickKeptHeaders } from './kept-headers';
import { RejectedDeliveries } from './rejected-deliveries';

/**
 * Answers every webhook delivery that is not stored: our refusals (401, 400, 409, 422), Fastify's
 * (413, 415) and the database's (503). Each is counted, and each refusal (4xx) is kept in
 * rejected_deliveries so an operator can see why Voucherify was turned away.
 */
@Injectable()
export class WebhookRefusals {
  private readonly logger = new Logger('WebhookRefusals');

  constructor(
    private readonly rejectedDeliveries: RejectedDeliveries,
    private readonly metrics: Metrics,
  ) {}

  async answer(exception: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const error = toApiError(exception);
    this.metrics.countDelivery(undefined, error.code, reply.elapsedTime);
    if (error.status < 500) {
      this.logger.warn({ reason: error.code, eventId: error.eventId, requestId: request.id }, 'webhook delivery refused');
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
    return sendApiError(reply, error, exception, this.logger, { requestId: request.id });
  }
}
