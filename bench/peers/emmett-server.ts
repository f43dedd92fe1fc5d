/**
 * The Emmett peer (BENCH_SCENARIOS=peers): what a user picking Emmett 0.42 + PostgreSQL would
 * write for the same job. emmett-expressjs stops at 0.20 and there is no Fastify adapter, so
 * plain Fastify: raw body, HMAC, JSON.parse, append one event to a stream named by the event id
 * and answer after the commit. `expectedStreamVersion: 0n` is what dedups in 0.42
 * (STREAM_DOES_NOT_EXIST is not enforced there): a retry fails with ExpectedVersionConflictError.
 */
import { isExpectedVersionConflictError } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import Fastify from 'fastify';
import { announce, eventOf, signatureMatches } from './signature';

async function main(): Promise<void> {
  const secret = process.env.WEBHOOK_SECRET!;
  const eventStore = getPostgreSQLEventStore(process.env.DATABASE_URL!);
  await eventStore.schema.migrate();
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1_048_576 }, (_request, body, done) => done(null, body));
  app.post('/webhooks/voucherify', async (request, reply) => {
    const raw = request.body as Buffer;
    if (!signatureMatches(raw, request.headers['x-voucherify-signature'], secret)) return reply.code(401).send({ code: 'invalid_signature' });
    let body: any;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).send({ code: 'malformed_json' });
    }
    const event = eventOf(body);
    if (!event) return reply.code(422).send({ code: 'invalid_envelope' });
    try {
      const result = await eventStore.appendToStream(`webhook-${event.id}`, [{ type: event.type, data: body }], { expectedStreamVersion: 0n });
      return reply.code(202).send({ event_id: event.id, position: String(result.lastEventGlobalPosition), duplicate: false });
    } catch (error) {
      if (isExpectedVersionConflictError(error)) return reply.code(200).send({ event_id: event.id, duplicate: true });
      throw error;
    }
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  announce(typeof address === 'object' && address ? address.port : 0);
}

void main();
