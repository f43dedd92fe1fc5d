import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { verifyChain } from '../../libs/event-store/src';
import { ALL_MIGRATIONS } from '../../migrations';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/*
 * A log chained in form 1 (each link over the raw bytes) moves to form 2 (over their hash) with
 * migration 1764000028000: what `verify` proved before is proved again, a head kept before still
 * checks, and a log changed before the move stays broken.
 */

const SEPARATOR = Buffer.from([0]);
/** Form 1, as the chainer computed it before the migration. */
const linkV1 = (previous: Buffer, eventId: string, type: string, occurredAtRaw: string, rawBody: Buffer) =>
  createHash('sha256').update(previous).update(eventId).update(SEPARATOR).update(type).update(SEPARATOR).update(occurredAtRaw).update(SEPARATOR).update(rawBody).digest();

async function formOneLog(db: TestDatabase, count: number): Promise<{ position: number; hash: Buffer }> {
  const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: ALL_MIGRATIONS, migrationsTableName: 'typeorm_migrations' });
  await dataSource.initialize();
  try {
    // The database as it was before form 2: every migration from 1764000028000 on undone.
    const lastMigration = async () => (await db.pool.query(`SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`)).rows[0].name;
    for (let i = 0; i < ALL_MIGRATIONS.length && (await lastMigration()) !== 'PendingPoints1764000027000'; i++) await dataSource.undoLastMigration();
    expect(await lastMigration()).toBe('PendingPoints1764000027000');
    let previous = Buffer.alloc(32);
    let last = { position: 0, hash: previous };
    for (let i = 1; i <= count; i++) {
      const createdAt = `2024-05-0${1 + (i % 9)}T10:00:00.000Z`;
      const body = Buffer.from(JSON.stringify({ id: `whe_${i}`, type: 'customer.updated', created_at: createdAt, data: { customer: { id: `cust_${i}`, name: `Customer ${i}` } } }));
      const { rows } = await db.pool.query(
        `INSERT INTO events (event_id, event_type, occurred_at, occurred_at_raw, raw_body, payload, signature_status, envelope_format)
         VALUES ($1, 'customer.updated', $2::timestamptz, $5::text, $3, $4::jsonb, 'verified', 'v2018-08-01') RETURNING global_position`,
        [`whe_${i}`, createdAt, body, body.toString('utf8'), createdAt],
      );
      const position = Number(rows[0].global_position);
      const hash = linkV1(previous, `whe_${i}`, 'customer.updated', createdAt, body);
      await db.pool.query(`INSERT INTO event_chain (seq, global_position, prev_hash, hash) VALUES ($1, $2, $3, $4)`, [i, position, previous, hash]);
      previous = hash;
      last = { position, hash };
    }
    return last;
  } finally {
    await dataSource.destroy();
  }
}

async function migrateToFormTwo(db: TestDatabase): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: ALL_MIGRATIONS, migrationsTableName: 'typeorm_migrations' });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

describe('the chain moving to form 2', () => {
  const dbs: TestDatabase[] = [];
  afterAll(() => Promise.all(dbs.map((db) => db.drop())));

  it('proves an untouched form-1 log again, and a head kept before the move still checks', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const keptHead = await formOneLog(db, 25);
    await migrateToFormTwo(db);
    expect((await db.pool.query(`SELECT links_rewritten, v1_broken_seq, v1_broken_reason FROM chain_forms WHERE form = 2`)).rows[0]).toEqual({ links_rewritten: '25', v1_broken_seq: null, v1_broken_reason: null });
    const result = await verifyChain(db.pool, { expectHead: keptHead });
    expect(result).toMatchObject({ ok: true, checked: 25, keptHead: { position: keptHead.position, ok: true } });
    // The links are form 2 now: the kept head is the link's form-1 hash, not its hash.
    const link = await db.pool.query(`SELECT hash, v1_hash FROM event_chain WHERE global_position = $1`, [keptHead.position]);
    expect(link.rows[0].v1_hash.equals(keptHead.hash)).toBe(true);
    expect(link.rows[0].hash.equals(keptHead.hash)).toBe(false);
  });

  it('keeps a log changed before the move broken: the new form never launders it', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    await formOneLog(db, 12);
    // Someone with the owner's rights changed one event under form 1, links untouched.
    const client = await db.pool.connect();
    try {
      await client.query('ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete');
      await client.query(`UPDATE events SET raw_body = convert_to(replace(convert_from(raw_body, 'UTF8'), 'Customer 7', 'Customer 8'), 'UTF8'),
                                payload = replace(convert_from(raw_body, 'UTF8'), 'Customer 7', 'Customer 8')::jsonb WHERE event_id = 'whe_7'`);
      await client.query('ALTER TABLE events ENABLE TRIGGER events_refuse_update_delete');
    } finally {
      client.release();
    }
    await migrateToFormTwo(db);
    const result = await verifyChain(db.pool);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenLink).toMatchObject({ seq: 7, column: 'chain', reason: expect.stringContaining('before the chain moved to form 2') });
  });
});
