import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Metrics } from '../health/metrics.service';
import { IngestCommand } from './ingest.command';
import type { IngestRefused, IngestStored } from './ingest-result';
import { pickKeptHeaders, SIGNATURE_HEADER } from './kept-headers';
import { WebhookAcceptedDto } from './webhook-accepted.dto';
import { WebhookRefusals } from './webhook-refusals';
import { STATUS_BY_REFUSAL, WebhookRejection } from './webhook-rejection';

export const WEBHOOK_PATH = '/webhooks/voucherify';

/**
 * POST /webhooks/voucherify, mounted on Fastify directly rather than as a Nest controller.
 *
 * Why: this is the one hot write path, and the bench showed Nest's per-request pipeline (router
 * proxy, execution context, interceptor and pipe plumbing) cost about as much CPU as the ingest
 * work itself. Fastify's global hooks (request id, security headers, access log) still run, the
 * command still goes through the CQRS CommandBus, and the OpenAPI document describes the route
 * (webhook.openapi.ts).
 */
@Injectable()
export class WebhookRoute {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly refusals: WebhookRefusals,
    private readonly metrics: Metrics,
  ) {}

  mount(fastify: FastifyInstance): void {
    fastify.route({
      method: 'POST',
      url: WEBHOOK_PATH,
      handler: (request, reply) => this.receive(request, reply),
      // Also gets Fastify's own refusals of this route (413 body too large, 415 media type).
      errorHandler: (error, request, reply) => this.refusals.answer(error, request, reply),
    });
  }

  private async receive(request: FastifyRequest, reply: FastifyReply): Promise<WebhookAcceptedDto> {
    // The JSON content-type parser hands over the raw bytes (see raw-json-body.ts); anything
    // else means the request had no JSON body at all.
    if (!Buffer.isBuffer(request.body)) {
      throw new WebhookRejection(415, 'unsupported_media_type', 'Content-Type must be application/json', false);
    }
    const signature = request.headers[SIGNATURE_HEADER];
    const result = await this.commandBus.execute(
      new IngestCommand(request.body, {
        kind: 'webhook',
        signature: typeof signature === 'string' ? signature : undefined,
        headers: pickKeptHeaders(request.headers),
      }),
    );
    if (result.outcome === 'refused' || result.outcome === 'conflict') throw rejectionOf(result);
    this.metrics.countDelivery(result.type, result.outcome, reply.elapsedTime);
    reply.status(result.outcome === 'duplicate' ? 200 : 202);
    return { event_id: result.eventId, position: result.position, duplicate: result.outcome === 'duplicate' };
  }
}

/** HTTP lives here, at the edge: the use case only says what happened. */
function rejectionOf(result: IngestRefused | IngestStored): WebhookRejection {
  if (result.outcome !== 'refused') {
    return new WebhookRejection(
      409,
      'event_id_conflict',
      `event ${result.eventId} is already stored (position ${result.position}) with a different type or data`,
      true,
      undefined,
      result.eventId,
    );
  }
  return new WebhookRejection(STATUS_BY_REFUSAL[result.reason], result.reason, result.message, result.authenticated, result.details, result.eventId);
}
