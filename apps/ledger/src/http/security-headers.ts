import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** /console, /console/ and everything below, with or without a query. */
const CONSOLE_PATH = /^\/console(\/|\?|$)/;

/**
 * Helmet's security headers on every answer. The middleware is built once here: the Fastify
 * plugin (@fastify/helmet 13) rebuilds it, reparsing the CSP, on every request, which cost
 * about 3% of the service's CPU on the read path.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const applyHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The Swagger UI at /docs uses inline scripts and styles (the console has its own policy, below).
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // TLS ends before the service (a proxy); upgrading would break /docs on plain http.
        upgradeInsecureRequests: null,
      },
    },
  });
  // The console (apps/console) is built with no inline script or style: it gets the strict
  // policy, same-origin files and same-origin requests only (the REST API it reads).
  const applyConsoleHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const apply = CONSOLE_PATH.test(request.url) ? applyConsoleHeaders : applyHeaders;
    apply(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
