import fc from 'fast-check';
import { PROJECTION_NAMES } from '../../libs/projections/src';
import { historyArbitrary, toEnvelope } from '../support/loyalty-history';
import { projectAll } from '../support/projector';
import { dumpReadModels } from '../support/read-model-dump';
import { ServiceProcess } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { postWebhook } from '../support/voucherify';

const history = fc.sample(historyArbitrary(10, 15, 10, 10), { numRuns: 1, seed: 20261122 })[0];

const send = (service: ServiceProcess, index: number) =>
  postWebhook(service.baseUrl, JSON.stringify(toEnvelope(history.events[index], `whs_${index}`)));

async function waitCaughtUp(db: TestDatabase, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.pool.query(
      `SELECT count(*) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.position))) AS caught_up,
              count(*) AS total
       FROM projection_checkpoints c`,
    );
    if (Number(rows[0].total) === PROJECTION_NAMES.length + 1 && rows[0].caught_up === rows[0].total) return; // + the chain
    if (Date.now() > deadline) throw new Error('projections did not catch up in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every projection applied each stored event exactly once: none skipped, none twice. */
async function expectEachEventAppliedOnce(db: TestDatabase): Promise<void> {
  const events = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
  const { rows } = await db.pool.query('SELECT projection, events_applied FROM projection_checkpoints ORDER BY projection');
  expect((await db.pool.query('SELECT count(*) FROM projection_dead_letters')).rows[0].count).toBe('0');
  expect(rows.map((r) => [r.projection, Number(r.events_applied)])).toEqual(
    [...PROJECTION_NAMES, 'event_chain'].sort().map((p) => [p, events]),
  );
}

describe('two service processes with the projector on, one database', () => {
  let db: TestDatabase;
  let reference: TestDatabase;
  let first: ServiceProcess;
  let second: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    reference = await createTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await first?.kill();
    await second?.kill();
    await db?.drop();
    await reference?.drop();
  });

  it('applies every event once while both run, and the survivor takes over after a kill', async () => {
    expect(history.events.length).toBeGreaterThan(100);
    const env = { DATABASE_URL: db.url, PROJECTOR_POLL_MS: '100', PROJECTOR_BATCH_SIZE: '20' };
    // The first process starts alone, so it owns every projection; the second waits for the locks.
    first = await ServiceProcess.start(env);
    expect((await send(first, 0)).status).toBe(202);
    await waitCaughtUp(db, 20_000);
    second = await ServiceProcess.start(env);
    const half = Math.floor(history.events.length / 2);

    // Both processes take webhooks at once (every event through both: a duplicate storm).
    const firstHalf = [...Array(half).keys()];
    const answers = await Promise.all(firstHalf.flatMap((i) => [send(first, i), send(second, i)]));
    expect(answers.every((a) => a.status === 202 || a.status === 200)).toBe(true);
    await waitCaughtUp(db, 20_000);
    await expectEachEventAppliedOnce(db);

    // Kill the owner; the other must take every projection over and apply the rest.
    await first.kill();
    const killedAt = Date.now();
    for (let i = half; i < history.events.length; i++) expect([200, 202]).toContain((await send(second, i)).status);
    await waitCaughtUp(db, 20_000);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    await expectEachEventAppliedOnce(db);

    // The read models equal a single-process projection of the same log.
    const { rows } = await db.pool.query(`SELECT convert_from(raw_body, 'UTF8')::jsonb AS payload FROM events ORDER BY global_position`);
    await reference.pool.query(
      `INSERT INTO events (event_id, event_type, raw_body, signature_status, envelope_format, occurred_at)
       SELECT p->'event'->>'id', p->'event'->>'type', convert_to(p::text, 'UTF8'), 'unsigned', 'v2024-01-01', (p->'event'->>'created_at')::timestamptz
       FROM jsonb_array_elements($1::jsonb) AS p`,
      [JSON.stringify(rows.map((r) => r.payload))],
    );
    await projectAll(reference.pool);
    expect(await dumpReadModels(db.pool)).toEqual(await dumpReadModels(reference.pool));
  }, 120_000);
});
