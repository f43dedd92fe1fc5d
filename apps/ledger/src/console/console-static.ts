import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LedgerConfig } from '../config/ledger-config';

export const CONSOLE_PREFIX = '/console';

/** The project folder (the one holding package.json), whether run from source or from dist/. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function consoleDirectory(config: LedgerConfig): string {
  return resolve(config.consoleDir ?? join(projectRoot(), 'dist', 'console'));
}

/**
 * The operator console (apps/console, built by Vite) at /console: its files as they are, and
 * index.html for every other path below /console, so each view's own URL (a deep link to an
 * event, a customer, a date) opens the app, which then routes in the browser. The console reads
 * only the public REST API, with the operator's token: it has no route of its own here.
 * Not built (a service started from source without `npm run build`): /console says so.
 */
export async function mountConsole(app: NestFastifyApplication, config: LedgerConfig): Promise<void> {
  const root = consoleDirectory(config);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(CONSOLE_PREFIX, (_request, reply) => {
    reply.redirect(`${CONSOLE_PREFIX}/`);
  });
  if (!existsSync(join(root, 'index.html'))) {
    fastify.get(`${CONSOLE_PREFIX}/*`, (_request, reply) => {
      reply.code(404).send({ status: 404, code: 'console_not_built', message: `the console is not built (no ${root}/index.html): run npm run build` });
    });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: `${CONSOLE_PREFIX}/`,
    wildcard: false, // one route per built file; every other path is the app's (below)
    index: ['index.html'],
    cacheControl: false, // set below
    // Vite names assets by their content hash: they never change. index.html always may.
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.includes(`${join(root, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  fastify.get(`${CONSOLE_PREFIX}/*`, (request, reply) => {
    // A missing asset is a 404, not the app (a browser would try to run index.html as a script).
    if (request.url.startsWith(`${CONSOLE_PREFIX}/assets/`)) return reply.code(404).send({ status: 404, code: 'not_found', message: 'no such console file' });
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  });
}
