import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IngestWebhookCommand } from './ingest-webhook.command';
import { pickKeptHeaders, SIGNATURE_HEADER } from './kept-headers';
import { WebhookRejection } from './webhook-rejection';
import { WebhookAcceptedDto } from './webhook-accepted.dto';
import { Metrics } from '../metrics/metrics.service';

export const WEBHOOK_PATH = '/webhooks/voucherify';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly metrics: Metrics,
  ) {}

  @Post('voucherify')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Receive a Voucherify webhook (v2024-01-01 envelope; the retired v2018 format is stored too)',
    description:
      'Verifies the signature, stores the event exactly once, and answers after the commit. ' +
      'A repeat of a stored event id with the same type and data answers 200 with the original position.',
  })
  @ApiHeader({ name: SIGNATURE_HEADER, required: false, description: 'HMAC-SHA256 of the body, lowercase hex' })
  @ApiBody({ schema: { type: 'object', required: ['type', 'data'] } })
  @ApiResponse({ status: 202, type: WebhookAcceptedDto, description: 'Stored' })
  @ApiResponse({ status: 200, type: WebhookAcceptedDto, description: 'Already stored (duplicate delivery)' })
  @ApiResponse({ status: 400, description: 'Malformed JSON' })
  @ApiResponse({ status: 401, description: 'Missing or wrong signature' })
  @ApiResponse({ status: 409, description: 'Event id already stored with a different type or data' })
  @ApiResponse({ status: 413, description: 'Body over the limit' })
  @ApiResponse({ status: 415, description: 'Not application/json' })
  @ApiResponse({ status: 422, description: 'Not a webhook envelope' })
  @ApiResponse({ status: 503, description: 'Database unavailable; retry (Retry-After)' })
  async receive(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookAcceptedDto> {
    // The JSON content-type parser hands over the raw bytes (see raw-json-body.ts); anything
    // else means the request had no JSON body at all.
    if (!Buffer.isBuffer(request.body)) {
      throw new WebhookRejection(415, 'unsupported_media_type', 'Content-Type must be application/json');
    }
    const outcome = await this.commandBus.execute(
      new IngestWebhookCommand(request.body, pickKeptHeaders(request.headers)),
    );
    if (outcome.duplicate) reply.status(200);
    const result = outcome.duplicate ? 'duplicate' : 'appended';
    this.metrics.ingested.inc({ type: this.metrics.typeLabel(outcome.type), outcome: result });
    this.metrics.ingestDuration.observe({ outcome: result }, reply.elapsedTime / 1000);
    return { event_id: outcome.eventId, position: outcome.position, duplicate: outcome.duplicate };
  }
}
