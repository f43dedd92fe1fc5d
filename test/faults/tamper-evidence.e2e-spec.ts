import { GENESIS_HASH, linkHash, sha256, verifyChain } from '../../libs/event-store/src';
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
    expect(await verifyChain(db.pool)).toMatchObject({ ok: true, checked: 20, unchained: 0, redactions: { events: 0, erasures: 0 }, head: { seq: 20, position: 20 } });
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

/** A fresh log of 20 chained events, for a test that tampers with it. */
async function chainedLog(): Promise<{ db: TestDatabase; positions: number[] }> {
  const db = await createTestDatabase();
  const positions: number[] = [];
  const service = await startTestApp(db.url, { projectorPollMs: 50 });
  try {
    for (let round = 0; round < 4; round++) {
      for (const type of FIXTURE_TYPES) {
        positions.push((await postWebhook(service.baseUrl, JSON.stringify(envelope(type, loadFixtureData(type))))).json.position);
      }
    }
    await waitChained(db);
  } finally {
    await service.close();
  }
  return { db, positions };
}

/** What a superuser can do: switch the append-only trigger off, edit, switch it on again. */
async function asSuperuser(db: TestDatabase, table: 'events' | 'event_chain', sql: string, params: unknown[] = []): Promise<void> {
  const trigger = table === 'events' ? 'events_refuse_update_delete' : 'event_chain_refuse_update_delete';
  await db.pool.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
  try {
    await db.pool.query(sql, params);
  } finally {
    await db.pool.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  }
}

describe('ledger verify checks the columns the projections read against the raw bytes', () => {
  let db: TestDatabase;
  let positions: number[];
  beforeEach(async () => ({ db, positions } = await chainedLog()), 60_000);
  afterEach(async () => db?.drop());

  it('finds a decoded body slipped beside the raw bytes (what the projections would read instead), the chain untouched', async () => {
    const victim = positions[11];
    // decoded_body is only for bytes that are not UTF-8; set beside valid ones, readers would take it for the body.
    await asSuperuser(
      db,
      'events',
      `UPDATE events SET decoded_body = jsonb_set(convert_from(raw_body, 'UTF8')::jsonb, '{data,forged}', '1')::text WHERE global_position = $1`,
      [victim],
    );

    const cli = await runCli(['verify'], { DATABASE_URL: db.url });
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, firstBrokenLink: { position: victim, column: 'decoded_body' } });
    expect(cli.stderr).toContain(`event at position ${victim}: decoded_body:`);
  }, 60_000);

  it('finds occurred_at moved by one microsecond', async () => {
    const victim = positions[5];
    await asSuperuser(db, 'events', `UPDATE events SET occurred_at = occurred_at + interval '1 microsecond' WHERE global_position = $1`, [victim]);

    const cli = await runCli(['verify'], { DATABASE_URL: db.url });
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, firstBrokenLink: { position: victim, column: 'occurred_at' } });
  }, 60_000);

  it('finds occurred_at cleared on an event not chained yet', async () => {
    const service = await startTestApp(db.url, { projector: 'off' });
    let late: number;
    try {
      late = (await postWebhook(service.baseUrl, JSON.stringify(envelope(FIXTURE_TYPES[0], loadFixtureData(FIXTURE_TYPES[0]))))).json.position;
    } finally {
      await service.close();
    }
    expect((await verifyChain(db.pool)).unchained).toBe(1);
    await asSuperuser(db, 'events', `UPDATE events SET occurred_at = NULL WHERE global_position = $1`, [late]);

    const cli = await runCli(['verify'], { DATABASE_URL: db.url });
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, firstBrokenLink: { seq: null, position: late, column: 'occurred_at' } });
  }, 60_000);

  it('prints the head, accepts it while the chain holds, and refuses it once the chain was rewritten', async () => {
    const printed = await runCli(['verify', '--head'], { DATABASE_URL: db.url });
    expect(printed.code).toBe(0);
    const head = JSON.parse(printed.stdout);
    const last = await db.pool.query(`SELECT seq, global_position, encode(hash, 'hex') AS hash FROM event_chain ORDER BY seq DESC LIMIT 1`);
    expect(head).toMatchObject({
      seq: Number(last.rows[0].seq),
      position: Number(last.rows[0].global_position),
      hash: last.rows[0].hash,
      received_at: expect.any(String),
      taken_at: expect.any(String),
      expect_head: `${last.rows[0].global_position}:${last.rows[0].hash}`,
    });

    const kept = await runCli(['verify', '--expect-head', head.expect_head], { DATABASE_URL: db.url });
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ ok: true, keptHead: { position: head.position, ok: true } });

    // A superuser edits an event and recomputes every link after it: the chain alone verifies again.
    const victim = positions[7];
    expect((await db.pool.query(`SELECT 1 FROM events WHERE global_position = $1 AND position('"points"' in convert_from(raw_body, 'UTF8')) > 0`, [victim])).rowCount).toBe(1);
    await asSuperuser(
      db,
      'events',
      `UPDATE events SET raw_body = convert_to(replace(convert_from(raw_body, 'UTF8'), '"points"', '"pointz"'), 'UTF8')
       WHERE global_position = $1`,
      [victim],
    );
    const links = await db.pool.query(
      `SELECT c.seq, e.event_id, e.event_type, e.occurred_at_raw, e.raw_body FROM event_chain c JOIN events e USING (global_position) ORDER BY c.seq`,
    );
    let previous = GENESIS_HASH;
    for (const link of links.rows) {
      const hash = linkHash(previous, { eventId: link.event_id, type: link.event_type, occurredAtRaw: link.occurred_at_raw, bodySha256: sha256(link.raw_body) });
      await asSuperuser(db, 'event_chain', `UPDATE event_chain SET prev_hash = $2, hash = $3 WHERE seq = $1`, [link.seq, previous, hash]);
      previous = hash;
    }
    expect(await verifyChain(db.pool)).toMatchObject({ ok: true });

    const rewritten = await runCli(['verify', '--expect-head', head.expect_head], { DATABASE_URL: db.url });
    expect(rewritten.code).toBe(1);
    expect(JSON.parse(rewritten.stdout)).toMatchObject({ ok: false, keptHead: { position: head.position, ok: false } });
    expect(rewritten.stderr).toContain('the chain was rewritten since the head was kept');

    const missing = await runCli(['verify', '--expect-head', `999999:${head.hash}`], { DATABASE_URL: db.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('position 999999 is not on the chain');

    const malformed = await runCli(['verify', '--expect-head', 'latest'], { DATABASE_URL: db.url });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('must be <position>:<sha256 hex>');
  }, 120_000);
});
