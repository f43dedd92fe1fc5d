/**
 * The leanest webhook endpoint we could write, for `BENCH_SCENARIOS=floor`: plain Fastify, no
 * Nest, no logging, no metrics. `empty` answers at once; `append` runs the service's own ingest
 * handler (signature check, JSON parse, envelope, group-commit append), called directly, and
 * nothing else. It tells how much of the service's CPU per webhook the framework around it costs.
 */
import type { EventBus } from '@nestjs/cqrs';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { GroupCommitAppender } from '../../libs/event-store/src/group-commit';
import { loadConfig } from '../../apps/ledger/src/config/ledger-config';
import { IngestCommand, IngestHandler } from '../../apps/ledger/src/ingest/ingest.command';
import { ErasedCustomers } from '../../apps/ledger/src/erasure/erased-customers';
import { SIGNATURE_HEADER } from '../../apps/ledger/src/ingest/kept-headers';
import { registerRawJsonBodyParser } from '../../apps/ledger/src/ingest/raw-json-body';
import { STATUS_BY_REFUSAL } from '../../apps/ledger/src/ingest/webhook-rejection';
import { BENCH_SECRET } from '../support/payloads';

export type FloorMode = 'empty' | 'append';

async function serve(mode: FloorMode, databaseUrl: string): Promise<void> {
  // The service's own defaults (body limit, pool size, group-commit sizes) and body parser.
  const config = loadConfig({}, { webhookSecrets: [BENCH_SECRET] });
  const app = Fastify({ logger: false });
  registerRawJsonBodyParser(app, config.webhookBodyLimitBytes);
  const pool = new Pool({ connectionString: databaseUrl, max: config.databasePoolSize });
  const handler =
    mode === 'append'
      ? new IngestHandler(
          config,
          new GroupCommitAppender(pool, { maxBatch: config.ingestMaxBatch, maxConcurrentFlushes: config.ingestConcurrentFlushes }),
          { publish: () => undefined } as unknown as EventBus, // no projector to wake here
          new ErasedCustomers(pool, config), // the service's own check of erased customers, as on its path
        )
      : undefined;
  app.post('/webhooks/voucherify', async (request, reply) => {
    if (!handler) return reply.code(202).send({ ok: true });
    const signature = request.headers[SIGNATURE_HEADER];
    try {
      const result = await handler.execute(
        new IngestCommand(request.body as Buffer, { kind: 'webhook', signature: typeof signature === 'string' ? signature : undefined, headers: typeof signature === 'string' ? { [SIGNATURE_HEADER]: signature } : {} }),
      );
      if (result.outcome === 'refused') return reply.code(STATUS_BY_REFUSAL[result.reason]).send();
      if (result.outcome === 'conflict') return reply.code(409).send();
      return reply.code(202).send({ event_id: result.eventId, position: result.position, duplicate: result.outcome === 'duplicate' });
    } catch {
      return reply.code(500).send();
    }
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!(typeof address === 'object' && address ? address.port : 0);
}

void serve(process.argv[2] as FloorMode, process.argv[3]);
