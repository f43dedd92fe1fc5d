import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { loadConfig } from './config/ledger-config';
import { buildOpenApiDocument } from './openapi';

/**
 * `npm run openapi [file]`: writes the OpenAPI document (default ./openapi.json) without a
 * database. Nest's preview mode reads the modules and their routes but creates no provider, so
 * nothing connects; the document is the one the service serves at /docs-json (same builder).
 */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'openapi.json');
  const config = loadConfig({}, { nodeEnv: 'development', logLevel: 'silent', databaseUrl: 'postgres://unused@127.0.0.1:1/unused' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    bodyParser: false,
  });
  writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((error) => {
  process.stderr.write(`openapi: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
