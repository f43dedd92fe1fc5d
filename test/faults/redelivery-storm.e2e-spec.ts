import fc from 'fast-check';
import { historyArbitrary, toEnvelope } from '../support/loyalty-history';
import { projectAll } from '../support/projector';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';
import { postWebhook } from '../support/voucherify';

const CONNECTIONS = 32;
const history = fc.sample(historyArbitrary(150, 12, 150, 8), { numRuns: 1, seed: 5 })[0];

/** Thousands of webhooks delivered 1–5 times each, shuffled, from many connections at once. */
describe('redelivery storm', () => {
  let storm: TestDatabase;
  let inOrder: TestDatabase;

  beforeAll(async () => {
    storm = await createTestDatabase();
    inOrder = await createTestDatabase();
  });
  afterAll(async () => {
    await storm?.drop();
    await inOrder?.drop();
  });

  it('stores each event once and ends with the read models of in-order delivery', async () => {
    expect(history.events.length).toBeGreaterThan(1000);
    const deliveries = history.events.flatMap((event, i) => Array.from({ length: 1 + ((i * 7) % 5) }, (_, copy) => ({ event, copy })));
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = (i * 2654435761) % (i + 1);
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }

    const service = await startTestApp(storm.url, { projectorPollMs: 50 });
    const statuses = new Map<number, number>();
    try {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next < deliveries.length) {
            const { event, copy } = deliveries[next++];
            const answer = await postWebhook(service.baseUrl, JSON.stringify(toEnvelope(event, `whs_${event.eventId}_${copy}`)));
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          }
        }),
      );
    } finally {
      await service.close();
    }
    expect([...statuses.keys()].sort()).toEqual([200, 202]);
    expect(statuses.get(202)).toBe(history.events.length);
    expect(statuses.get(200)).toBe(deliveries.length - history.events.length);
    const stored = await storm.pool.query('SELECT count(*) AS events, count(DISTINCT event_id) AS ids FROM events');
    expect(stored.rows[0]).toEqual({ events: String(history.events.length), ids: String(history.events.length) });

    const reference = await startTestApp(inOrder.url, { projector: 'off' });
    try {
      for (const [i, event] of history.events.entries()) await postWebhook(reference.baseUrl, JSON.stringify(toEnvelope(event, `whs_${i}`)));
    } finally {
      await reference.close();
    }
    await projectAll(inOrder.pool);
    await projectAll(storm.pool);
    expect(await dumpReadModels(storm.pool)).toEqual(await dumpReadModels(inOrder.pool));
    console.log(`storm: ${deliveries.length} deliveries of ${history.events.length} events from ${CONNECTIONS} connections, ${history.events.length} stored`);
  }, 300_000);
});
