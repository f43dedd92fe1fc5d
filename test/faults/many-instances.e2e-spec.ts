import fc from 'fast-check';
import { PROJECTION_NAMES } from '../../libs/projections/src';
import { historyArbitrary, toEnvelope } from '../support/loyalty-history';
import { ServiceProcess } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { postWebhook } from '../support/voucherify';

const history = fc.sample(historyArbitrary(20, 12, 20, 8), { numRuns: 1, seed: 31 })[0];
const PROJECTIONS = [...PROJECTION_NAMES, 'event_chain'].sort();

async function checkpointsCaughtUp(db: TestDatabase): Promise<boolean> {
  const { rows } = await db.pool.query(
    `SELECT count(*) FILTER (WHERE NOT EXISTS (
       SELECT 1 FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.position))) AS caught_up
     FROM projection_checkpoints c WHERE c.projection = ANY($1::text[])`,
    [PROJECTIONS],
  );
  return Number(rows[0].caught_up) === PROJECTIONS.length;
}

/** Two API processes (PROJECTOR=off) and two projector processes on one database, under load. */
describe('many instances', () => {
  let db: TestDatabase;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const p of processes) await p.kill();
    await db?.drop();
  });

  it('a second projector takes over within 5 s of the active one being killed; nothing applied twice or skipped', async () => {
    const base = { DATABASE_URL: db.url, PROJECTOR_POLL_MS: '200' };
    const [apiA, apiB] = [await ServiceProcess.start({ ...base, PROJECTOR: 'off' }), await ServiceProcess.start({ ...base, PROJECTOR: 'off' })];
    const active = await ServiceProcess.start({ ...base, PROJECTOR: 'on' });
    processes.push(apiA, apiB, active);
    // The first projector owns everything before the standby starts.
    expect((await postWebhook(apiA.baseUrl, JSON.stringify(toEnvelope(history.events[0], 'whs_0')))).status).toBe(202);
    for (let i = 0; i < 100 && !(await checkpointsCaughtUp(db)); i++) await new Promise((r) => setTimeout(r, 50));
    const standby = await ServiceProcess.start({ ...base, PROJECTOR: 'on' });
    processes.push(standby);

    const half = Math.floor(history.events.length / 2);
    const send = (i: number) => postWebhook((i % 2 ? apiA : apiB).baseUrl, JSON.stringify(toEnvelope(history.events[i], `whs_${i}`)));
    for (let i = 1; i < half; i++) expect([200, 202]).toContain((await send(i)).status);

    await active.kill();
    const killedAt = Date.now();
    for (let i = half; i < history.events.length; i++) expect([200, 202]).toContain((await send(i)).status);
    let caughtUpAfter = Infinity;
    for (let i = 0; i < 200; i++) {
      if (await checkpointsCaughtUp(db)) {
        caughtUpAfter = Date.now() - killedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(caughtUpAfter).toBeLessThan(5000);

    const events = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    expect(events).toBe(history.events.length);
    const { rows } = await db.pool.query(
      'SELECT projection, events_applied FROM projection_checkpoints WHERE projection = ANY($1::text[]) ORDER BY projection',
      [PROJECTIONS],
    );
    expect(rows.map((r) => [r.projection, Number(r.events_applied)])).toEqual(PROJECTIONS.map((p) => [p, events]));
    expect((await db.pool.query('SELECT count(*) FROM projection_dead_letters')).rows[0].count).toBe('0');
    console.log(`many instances: 2 API + 2 projectors, ${events} events, takeover and catch-up ${caughtUpAfter} ms after the kill`);
  }, 180_000);
});
