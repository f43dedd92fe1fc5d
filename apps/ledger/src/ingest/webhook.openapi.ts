import type { OpenAPIObject } from '@nestjs/swagger';
import { getSchemaPath } from '@nestjs/swagger';
import { SIGNATURE_HEADER } from './kept-headers';
import { ApiErrorDto } from '../http/api-error.dto';
import { WebhookAcceptedDto } from './webhook-accepted.dto';
import { WEBHOOK_PATH } from './webhook.route';

/** Models the document must carry although no Nest controller names them. */
export const WEBHOOK_OPENAPI_MODELS = [WebhookAcceptedDto, ApiErrorDto];

const refused = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorDto) } } },
});

const accepted = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: getSchemaPath(WebhookAcceptedDto) } } },
});

/**
 * The body: a Voucherify webhook envelope (docs/voucherify.md, section 1), stored whole as sent.
 * Only what a sender must give is spelled out; its other fields (id, project_id, created_at,
 * source, event) are kept too, hence additionalProperties.
 */
const ENVELOPE = {
  type: 'object',
  required: ['type', 'data'],
  properties: {
    type: {
      type: 'string',
      description: "The event type (a distribution webhook's free-text name, the type then being event.type)",
      example: 'voucher.published',
    },
    data: { type: 'object', additionalProperties: true, description: "The event's data object" },
  },
  additionalProperties: true,
};

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
      // Authenticated by the body's signature (the header above), not by a token.
      security: [],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ENVELOPE } },
      },
      responses: {
        '202': accepted('Stored'),
        '200': accepted('Already stored (duplicate delivery)'),
        '400': refused('malformed_json: not JSON'),
        '401': refused('Missing or wrong signature'),
        '409': refused('Event id already stored with a different type or data'),
        '413': refused('Body over the limit'),
        '415': refused('Not application/json'),
        '422': refused('invalid_envelope, unstorable_payload or payload_too_complex'),
        '503': refused('Database unavailable; retry (Retry-After)'),
      },
    },
  };
  return document;
}
