import type { Options } from 'pino-http';
import type { LedgerConfig } from '../config/ledger-config';

/**
 * One JSON line per request: its id, method, URL and status. Headers and bodies are never
 * logged (they carry signatures, tokens and customer data).
 */
export function pinoHttpOptions(config: LedgerConfig): Options {
  return {
    level: config.logLevel,
    // Fastify assigns request ids (http/request-id.ts: the caller's x-request-id when short and plain,
    // else a UUID); pino-http reuses req.id.
    serializers: {
      req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
      res: (response: { statusCode: number }) => ({ status: response.statusCode }),
    },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    redact: { paths: ['req.headers', 'res.headers', '*.authorization', '*["x-voucherify-signature"]'], remove: true },
  };
}
