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
    // Every acknowledgement, with the position it gave. An acknowledged event is never sent again:
    // a resend would store it anew and hide that the acknowledged copy was lost.
    const acknowledged = new Map<string, number>();
    const resentAfterAck: string[] = [];
    // Events still to send: each index is taken by one sender at a time, and goes back only when
    // its send was not acknowledged (refused, or cut by the kill).
    const unsent = history.events.map((_, index) => index);
    let service = await ServiceProcess.start(env);
    let lastPosition = 0;

    const sender = async (stop: { now: boolean }) => {
      while (!stop.now && unsent.length > 0) {
        const index = unsent.shift()!;
        const event = history.events[index];
        if (acknowledged.has(event.eventId)) resentAfterAck.push(event.eventId);
        try {
          const answer = await postWebhook(service.baseUrl, JSON.stringify(toEnvelope(event, `whs_${index}`)));
          if (answer.status === 202 || answer.status === 200) {
            acknowledged.set(event.eventId, answer.json.position);
            lastPosition = Math.max(lastPosition, answer.json.position);
          } else unsent.push(index); // refused (503): send it again later
        } catch {
          unsent.push(index); // connection reset by the kill: not acknowledged, resend
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
    // A sender stops when nothing is left to take, while another's send may still fail and put one back.
    while (unsent.length > 0) await Promise.all(Array.from({ length: SENDERS }, () => sender({ now: false })));
    try {
      expect(resentAfterAck).toEqual([]);
      expect(acknowledged.size).toBe(history.events.length);
      const stored = await db.pool.query('SELECT event_id, count(*) AS copies, min(global_position) AS position FROM events GROUP BY event_id');
      const found = new Map(stored.rows.map((r) => [r.event_id, { copies: Number(r.copies), position: Number(r.position) }]));
      // Present exactly once, at the very position its acknowledgement gave.
      const lost = [...acknowledged].filter(([id, position]) => found.get(id)?.copies !== 1 || found.get(id)?.position !== position);
      expect(lost).toEqual([]);
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

