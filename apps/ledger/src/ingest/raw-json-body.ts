import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies reach controllers as the exact bytes received: the webhook signature is computed
 * over them and they are stored verbatim, so nothing may parse and re-serialise them first.
 * Fastify enforces the size limit while streaming (413 before the whole body is buffered) and
 * answers 415 for any other content type.
 */
export function registerRawJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeContentTypeParser(['application/json']);
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (_request, body, done) => done(null, body),
  );
}
