import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { addWebhookOperation, WEBHOOK_OPENAPI_MODELS } from './ingest/webhook.openapi';

/** Where the service serves its OpenAPI document (the UI at /docs). */
export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/**
 * The service's OpenAPI document: every Nest route with its DTOs, and the webhook route, which
 * Fastify serves outside Nest. One builder for /docs-json and `npm run openapi`, so the file a
 * client is typed from is the document the service serves.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Loyalty ledger')
    .setDescription('Event-sourced loyalty ledger for Voucherify webhooks')
    .setVersion('1')
    // Relative: the service that serves this document (at /docs-json), wherever it runs.
    .addServer('/')
    .addBearerAuth()
    .build();
  return addWebhookOperation(SwaggerModule.createDocument(app, config, { extraModels: WEBHOOK_OPENAPI_MODELS }));
}
