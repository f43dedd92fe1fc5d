import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { LedgerConfig } from './config/ledger-config';
import { AppModule } from './app.module';
import { registerRawJsonBodyParser } from './ingest/raw-json-body';
import { buildOpenApiDocument, OPENAPI_JSON_PATH, OPENAPI_UI_PATH } from './openapi';
import { WebhookRoute } from './ingest/webhook.route';
import { registerSecurityHeaders } from './http/security-headers';
import { registerAccessLog } from './http/logging';
import { registerSafeJsonSerializer } from './http/safe-json';
import { answerFrameworkError } from './http/framework-errors';
import { recordServedRoutes } from './http/served-routes';
import { REQUEST_ID_HEADER, requestId } from './http/request-id';
import { mountConsole } from './console/console-static';

/**
 * Builds the service: Fastify (a lean request path), the raw JSON body parser, validation,
 * OpenAPI at /docs, and the schema migrated (under an advisory lock) before it serves.
 */
export async function createApp(config: LedgerConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.webhookBodyLimitBytes,
    logger: false,
    requestIdHeader: false, // requestId() decides whether the caller's x-request-id is fit for the logs
    genReqId: requestId,
    frameworkErrors: answerFrameworkError,
  });
  recordServedRoutes(adapter.getInstance()); // for the OpenAPI contract test: before any route is added
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bufferLogs: true,
    abortOnError: false, // a failed start reaches main.ts, which says why in one line
    bodyParser: false, // ours keeps the raw bytes (raw-json-body.ts)
  });
  try {
    await prepare(app, config);
  } catch (error) {
    // A start that fails part way (a migration refused, the projector unable to start) must not
    // leave the pool connected, the projector or the periodic jobs running behind it: whoever
    // started it (a test, the CLI, main.ts) gets the error and nothing else to clean up.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** Everything after the modules are built, up to a migrated, initialised application. */
async function prepare(app: NestFastifyApplication, config: LedgerConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  registerAccessLog(fastify);
  registerSecurityHeaders(fastify);
  registerSafeJsonSerializer(fastify);
  registerRawJsonBodyParser(fastify, config.webhookBodyLimitBytes);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }),
  );

  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH });

  app.get(WebhookRoute).mount(fastify);
  await mountConsole(app, config);
  await app.init(); // migrates (MigrationRunner), then starts the projector unless PROJECTOR=off
}
