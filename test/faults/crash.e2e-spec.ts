import fc from 'fast-check';
import { rebuildProjections } from '../../libs/event-store/src';
import { rebuildTargets } from '../../libs/projections/src';
import { historyArbitrary, toEnvelope } from '../support/loyalty-history';
import { projectAll } from '../support/projector';
import { dumpReadModels } from '../support/read-model-dump';
import { getJson } from '../support/read-api';
import { ServiceProcess } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { postWebhook } from '../support/voucherify';

const KILLS = 10;
const SENDERS = 8;
const history = fc.sample(historyArbitrary(40, 12, 40, 8), { numRuns: 1, seed: 99 })[0];

/**
 * A sender keeps posting unique webhooks and records every acknowledged event id while the
 * service is SIGKILLed at random moments and restarted. Nothing acknowledged may be lost.
 */
describe('crash: SIGKILL at random moments', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it(`keeps every acknowledged event, exactly once, through ${KILLS} kills, and the read models equal a clean rebuild`, async () => {
    const env = { DATABASE_URL: db.url, PROJECTOR_POLL_MS: '100' };
    const acknowledged = new Set<string>();
    let next = 0;
    let service = await ServiceProcess.start(env);
    let lastPosition = 0;

    const sender = async (stop: { now: boolean }) => {
      while (!stop.now && next < history.events.length) {
        const index = next++;
        const event = history.events[index];
        try {
          const answer = await postWebhook(service.baseUrl, JSON.stringify(toEnvelope(event, `whs_${index}`)));
          if (answer.status === 202 || answer.status === 200) {
            acknowledged.add(event.eventId);
            lastPosition = Math.max(lastPosition, answer.json.position);
          } else next = Math.min(next, index); // refused (503): send it again later
        } catch {
          next = Math.min(next, index); // connection reset by the kill: not acknowledged, resend
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };

    for (let kill = 0; kill < KILLS; kill++) {
      const stop = { now: false };
      const senders = Array.from({ length: SENDERS }, () => sender(stop));
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
      await service.kill();
      stop.now = true;
      await Promise.all(senders);
      service = await ServiceProcess.start(env);
    }
    // Deliver what is left, then let the projector catch up.
    const stop = { now: false };
    await Promise.all(Array.from({ length: SENDERS }, () => sender(stop)));
    try {
      expect(acknowledged.size).toBe(history.events.length);
      const stored = await db.pool.query('SELECT event_id, count(*) AS copies FROM events GROUP BY event_id');
      const copies = new Map(stored.rows.map((r) => [r.event_id, Number(r.copies)]));
      const missing = [...acknowledged].filter((id) => copies.get(id) !== 1);
      expect(missing).toEqual([]);
      expect(stored.rows.length).toBe(history.events.length);

      expect((await getJson(service.baseUrl, `/customers/${history.cards[0].customerId}`, lastPosition)).status).toBe(200);
    } finally {
      await service.stop();
    }
    // Finish what the last instance had not projected yet, then compare with a clean rebuild.
    await projectAll(db.pool);
    const live = await dumpReadModels(db.pool);
    await rebuildProjections(db.pool, rebuildTargets('all'));
    expect(await dumpReadModels(db.pool)).toEqual(live);
    console.log(`crash: ${KILLS} kills survived, ${acknowledged.size} events acknowledged, all found exactly once`);
  }, 300_000);
});

