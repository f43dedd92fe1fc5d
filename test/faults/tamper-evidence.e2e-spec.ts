import { verifyChain } from '../../libs/event-store/src';
import { runCli } from '../support/cli';
import { getJson } from '../support/read-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';
import { envelope, FIXTURE_TYPES, loadFixtureData, postWebhook } from '../support/voucherify';

async function waitChained(db: TestDatabase): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.pool.query('SELECT (SELECT count(*) FROM events) = (SELECT count(*) FROM event_chain) AS done');
    if (rows[0].done) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the chain did not catch up');
}

describe('the event hash chain', () => {
  let db: TestDatabase;
  let positions: number[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const service = await startTestApp(db.url, { projectorPollMs: 50 });
    try {
      for (let round = 0; round < 4; round++) {
        for (const type of FIXTURE_TYPES) {
          const response = await postWebhook(service.baseUrl, JSON.stringify(envelope(type, loadFixtureData(type))));
          positions.push(response.json.position);
        }
      }
      await getJson(service.baseUrl, '/customers/cust_2myfc5acSBgoMV72R5tyTBc8', Math.max(...positions));
      await waitChained(db);
    } finally {
      await service.close();
    }
  });
  afterAll(async () => db?.drop());

  it('verifies an untouched log', async () => {
    expect(await verifyChain(db.pool)).toEqual({ ok: true, checked: 20, unchained: 0 });
    const cli = await runCli(['verify'], { DATABASE_URL: db.url });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, checked: 20 });
  }, 60_000);

  it('finds an event edited by a superuser who disabled the immutability trigger', async () => {
    const victim = positions[7];
    await db.pool.query('ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete');
    await db.pool.query(`UPDATE events SET raw_body = convert_to(replace(convert_from(raw_body, 'UTF8'), '"points"', '"pointz"'), 'UTF8') WHERE global_position = $1`, [victim]);
    await db.pool.query('ALTER TABLE events ENABLE TRIGGER events_refuse_update_delete');

    const result = await verifyChain(db.pool);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenLink).toMatchObject({ position: victim, reason: expect.stringContaining('differs') });

    const cli = await runCli(['verify'], { DATABASE_URL: db.url });
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout).firstBrokenLink.position).toBe(victim);
  }, 60_000);

  it('cannot be rewritten through the chain table either', async () => {
    await expect(db.pool.query(`UPDATE event_chain SET hash = prev_hash`)).rejects.toThrow('the event_chain table is append-only: UPDATE is not allowed');
    await expect(db.pool.query(`DELETE FROM event_chain`)).rejects.toThrow('the event_chain table is append-only: DELETE is not allowed');
  });
});
