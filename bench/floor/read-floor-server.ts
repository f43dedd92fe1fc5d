/**
 * The read floor (BENCH_SCENARIOS=peers): plain Fastify + pg answering `GET /customers/{id}` and
 * `/customers/{id}/points-history` with the service's own queries (the same SQL, rows and JSON),
 * and nothing else: no Nest, no validation, logging, metrics, headers or buses. What the reads
 * would cost with no framework at all, to read the service's figures against.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';
import { GetCustomerHandler, GetCustomerQuery } from '../../apps/ledger/src/customers/get-customer.query';
import { PointsHistoryHandler, PointsHistoryQuery } from '../../apps/ledger/src/points-ledger/points-history.query';

async function serve(databaseUrl: string): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const app = Fastify({ logger: false });
  const notFound = (id: string) => ({ status: 404, code: 'not_found', message: `no customer with id or source_id ${id}` });
  const customers = new GetCustomerHandler(pool);
  const pointsHistory = new PointsHistoryHandler(pool);
  app.get<{ Params: { id: string } }>('/customers/:id', async (request, reply) => {
    const customer = await customers.execute(new GetCustomerQuery(request.params.id));
    return customer ?? reply.code(404).send(notFound(request.params.id));
  });
  app.get<{ Params: { id: string } }>('/customers/:id/points-history', async (request, reply) => {
    const page = await pointsHistory.execute(new PointsHistoryQuery({ customerId: request.params.id, limit: 50 }));
    return page ?? reply.code(404).send(notFound(request.params.id));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!(typeof address === 'object' && address ? address.port : 0);
}

void serve(process.argv[2]);
