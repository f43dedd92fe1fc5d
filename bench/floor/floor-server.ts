/**
 * The leanest webhook endpoint we could write, for `BENCH_SCENARIOS=floor`: plain Fastify, no
 * Nest, no logging, no metrics. `empty` answers at once; `append` runs the project's own steps
 * (signature check, JSON parse, envelope, group-commit append) and nothing else. It tells how
 * much of the service's CPU per webhook the framework around those steps costs.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';
import { GroupCommitAppender } from '../../libs/event-store/src/group-commit';
import { parseWebhookEnvelope, verifySignature } from '../../libs/voucherify/src';
import { loadConfig } from '../../apps/ledger/src/config/ledger-config';
import { newEventFrom } from '../../apps/ledger/src/webhooks/new-event';
import { registerRawJsonBodyParser } from '../../apps/ledger/src/webhooks/raw-json-body';
import { BENCH_SECRET } from '../support/payloads';

export type FloorMode = 'empty' | 'append';

async function serve(mode: FloorMode, databaseUrl: string): Promise<void> {
  // The service's own defaults (body limit, pool size, group-commit sizes) and body parser.
  const config = loadConfig({});
  const app = Fastify({ logger: false });
  registerRawJsonBodyParser(app, config.webhookBodyLimitBytes);
  const appender =
    mode === 'append'
      ? new GroupCommitAppender(new Pool({ connectionString: databaseUrl, max: config.databasePoolSize }), {
          maxBatch: config.ingestMaxBatch,
          maxConcurrentFlushes: config.ingestConcurrentFlushes,
        })
      : undefined;
  app.post('/webhooks/voucherify', async (request, reply) => {
    if (!appender) return reply.code(202).send({ ok: true });
    const raw = request.body as Buffer;
    const signature = verifySignature(raw, request.headers['x-voucherify-signature'] as string | undefined, [BENCH_SECRET]);
    if (!signature.ok) return reply.code(401).send();
    const payloadJson = raw.toString('utf8');
    const parsed = parseWebhookEnvelope(JSON.parse(payloadJson));
    if (!parsed.ok) return reply.code(422).send();
    const result = await appender.append(newEventFrom(parsed.envelope, raw, payloadJson, signature.status, {}));
    return reply.code(202).send({ event_id: parsed.envelope.eventId, position: result.position, duplicate: false });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!(typeof address === 'object' && address ? address.port : 0);
}

void serve(process.argv[2] as FloorMode, process.argv[3]);
