import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from '../http/api-error';
import { sendApiError } from '../http/send-api-error';
import { Metrics } from '../health/metrics.service';
import { pickKeptHeaders } from './kept-headers';
import { RefusalCounts } from '../rejected-deliveries/refusal-counts';
import { RejectedDeliveries } from '../rejected-deliveries/rejected-deliveries';
import { WebhookRejection } from './webhook-rejection';

/**
 * Answers every webhook delivery that is not stored: our refusals (401, 400, 409, 422), Fastify's
 * (413, 415) and the database's (503). Each is counted in the metrics. A refusal (4xx) of a
 * sender that passed the signature check is kept whole in rejected_deliveries so an operator can
 * see why Voucherify was turned away; one of an unauthenticated sender (anyone) is only counted
 * per minute and reason (rejected_delivery_counts), so a flood cannot fill the disk.
 */
@Injectable()
export class WebhookRefusals {
  private readonly logger = new Logger('WebhookRefusals');

  constructor(
    private readonly rejectedDeliveries: RejectedDeliveries,
    private readonly refusalCounts: RefusalCounts,
    private readonly metrics: Metrics,
  ) {}

  async answer(exception: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const error = toApiError(exception);
    this.metrics.countDelivery(undefined, error.code, reply.elapsedTime);
    if (error.status < 500) {
      this.logger.warn({ reason: error.code, eventId: error.eventId, requestId: request.id }, 'webhook delivery refused');
      const bodySize = Buffer.isBuffer(request.body) ? request.body.length : Number(request.headers['content-length']) || 0;
      if (exception instanceof WebhookRejection && exception.authenticated) {
        await this.rejectedDeliveries.record({
          statusCode: error.status,
          reason: error.code,
          detail: [error.message, ...(error.details ?? [])].join('\n'),
          eventId: error.eventId,
          headers: pickKeptHeaders(request.headers),
          body: Buffer.isBuffer(request.body) ? request.body : undefined,
          bodySize,
        });
      } else {
        this.refusalCounts.count(error.code, error.status, bodySize);
      }
    }
    return sendApiError(reply, error, exception, this.logger, { requestId: request.id });
  }
}
