import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Metrics } from '../metrics/metrics.service';
import { IngestWebhookCommand } from './ingest-webhook.command';
import { pickKeptHeaders } from './kept-headers';
import { WebhookAcceptedDto } from './webhook-accepted.dto';
import { WebhookRefusals } from './webhook-refusals';
import { WebhookRejection } from './webhook-rejection';

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
      throw new WebhookRejection(415, 'unsupported_media_type', 'Content-Type must be application/json');
    }
    const outcome = await this.commandBus.execute(new IngestWebhookCommand(request.body, pickKeptHeaders(request.headers)));
    this.metrics.countDelivery(outcome.type, outcome.duplicate ? 'duplicate' : 'appended', reply.elapsedTime);
    reply.status(outcome.duplicate ? 200 : 202);
    return { event_id: outcome.eventId, position: outcome.position, duplicate: outcome.duplicate };
  }
}
