import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import type { Options } from 'pino-http';
import type { LedgerConfig } from '../config/ledger-config';

/**
 * The root logger's options (nestjs-pino builds it with pino-http): the level, and redaction of
 * anything that looks like a header or a credential, should a log call ever pass one.
 */
export function pinoHttpOptions(config: LedgerConfig): Options {
  return {
    level: config.logLevel,
    redact: { paths: ['req.headers', 'res.headers', '*.authorization', '*["x-voucherify-signature"]'], remove: true },
  };
}

/**
 * nestjs-pino's per-request middleware is not installed (app.module.ts: `forRoutes: []`): it
 * runs every request inside an AsyncLocalStorage, and once one is entered Node 20 tracks every
 * promise of the process with async hooks, the webhooks' and the projector's included (the read
 * profile showed the hooks at about 3% of the service's CPU, before the middleware's own cost).
 * Log calls made during a request go to the root logger instead, without the request's id.
 */
export const LOGGER_ROUTES = { forRoutes: [] };

/**
 * One JSON line per request, written when the answer has gone: its id, method, URL, status and
 * time taken, at info (warn for a 4xx, error for a 5xx). Headers and bodies are never logged
 * (they carry signatures, tokens and customer data). A Fastify hook, so routes mounted outside
 * Nest's router (the webhook) are logged too.
 */
export function registerAccessLog(fastify: FastifyInstance): void {
  let logger: Pino | undefined;
  fastify.addHook('onResponse', (request, reply, done) => {
    // nestjs-pino makes its root logger when the application initialises, after this hook is
    // added. pino-http gave it serializers for Node's request and response objects; these lines
    // carry plain fields instead.
    logger ??= (PinoLogger.root as Pino | undefined)?.child({}, { serializers: { req: asIs, res: asIs } });
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (logger?.isLevelEnabled(level)) {
      logger[level](
        { req: { id: request.id, method: request.method, url: request.url }, res: { status }, responseTime: Math.round(reply.elapsedTime) },
        'request completed',
      );
    }
    done();
  });
}

const asIs = (value: unknown) => value;
