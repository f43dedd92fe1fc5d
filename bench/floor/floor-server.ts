/**
 * The leanest webhook endpoint we could write, for `BENCH_SCENARIOS=floor`: plain Fastify, no
 * Nest, no logging, no metrics, no envelope validation. `empty` answers at once; `append` checks
 * the HMAC, parses the JSON and appends through the same GroupCommitAppender as the service.
 * It tells how much of the service's CPU per webhook any HTTP service would spend anyway.
 */
import Fastify from 'fastify';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Pool } from 'pg';
import { GroupCommitAppender } from '../../libs/event-store/src/group-commit';
import { BENCH_SECRET } from '../support/payloads';

export type FloorMode = 'empty' | 'append';

async function serve(mode: FloorMode, databaseUrl: string): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 1 << 20 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const pool = new Pool({ connectionString: databaseUrl, max: 8 });
  const appender = new GroupCommitAppender(pool, { maxBatch: 256, maxConcurrentFlushes: 4 });
  app.post('/webhooks/voucherify', async (request, reply) => {
    reply.code(202);
    if (mode === 'empty') return { ok: true };
    const raw = request.body as Buffer;
    const expected = createHmac('sha256', BENCH_SECRET).update(raw).digest();
    const given = Buffer.from(String(request.headers['x-voucherify-signature'] ?? ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(401).send();
    const payloadJson = raw.toString('utf8');
    const body = JSON.parse(payloadJson);
    const result = await appender.append({
      eventId: body.event.id,
      deliveryId: body.id,
      type: body.event.type,
      projectId: body.project_id,
      customerId: null,
      occurredAt: new Date(body.event.created_at),
      occurredAtRaw: body.event.created_at,
      rawBody: raw,
      payloadJson,
      signatureStatus: 'verified',
      envelopeFormat: 'v2024-01-01',
      requestHeaders: {},
    });
    return { event_id: body.event.id, position: result.position, duplicate: false };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!(typeof address === 'object' && address ? address.port : 0);
}

void serve(process.argv[2] as FloorMode, process.argv[3]);
