import type { OpenAPIObject } from '@nestjs/swagger';
import { getSchemaPath } from '@nestjs/swagger';
import { SIGNATURE_HEADER } from './kept-headers';
import { WebhookAcceptedDto } from './webhook-accepted.dto';
import { WEBHOOK_PATH } from './webhook.route';

/** Models the document must carry although no Nest controller names them. */
export const WEBHOOK_OPENAPI_MODELS = [WebhookAcceptedDto];

const accepted = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: getSchemaPath(WebhookAcceptedDto) } } },
});

/**
 * The webhook route is mounted on Fastify, not declared by a controller (see webhook.route.ts),
 * so Swagger cannot find it: its operation is written here and added to the generated document.
 */
export function addWebhookOperation(document: OpenAPIObject): OpenAPIObject {
  document.paths[WEBHOOK_PATH] = {
    post: {
      operationId: 'receiveVoucherifyWebhook',
      tags: ['webhooks'],
      summary: 'Receive a Voucherify webhook (v2024-01-01 envelope; the retired v2018 format is stored too)',
      description:
        'Verifies the signature, stores the event exactly once, and answers after the commit. ' +
        'A repeat of a stored event id with the same type and data answers 200 with the original position.',
      parameters: [
        {
          name: SIGNATURE_HEADER,
          in: 'header',
          required: false,
          description: 'HMAC-SHA256 of the body, lowercase hex',
          schema: { type: 'string' },
        },
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required: ['type', 'data'] } } },
      },
      responses: {
        '202': accepted('Stored'),
        '200': accepted('Already stored (duplicate delivery)'),
        '400': { description: 'Malformed JSON' },
        '401': { description: 'Missing or wrong signature' },
        '409': { description: 'Event id already stored with a different type or data' },
        '413': { description: 'Body over the limit' },
        '415': { description: 'Not application/json' },
        '422': { description: 'Not a webhook envelope' },
        '503': { description: 'Database unavailable; retry (Retry-After)' },
      },
    },
  };
  return document;
}
