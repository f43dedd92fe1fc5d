import { DataSource } from 'typeorm';
import { readEvent, sameJson, verifyChain } from '../../libs/event-store/src';
import { ALL_MIGRATIONS } from '../../migrations';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/*
 * Migration 1764000033000 drops the jsonb copy of each body. A body whose bytes are not UTF-8
 * keeps, beside them, the text ingest had decoded (it was in `payload`); every other row keeps
 * nothing but its bytes. Undone, every row has its `payload` back.
 */
describe('one copy of each webhook (migration 1764000033000), with the log it finds', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: ALL_MIGRATIONS, migrationsTableName: 'typeorm_migrations' });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('keeps the decoded text of bytes that are not UTF-8, nothing for the others, and gives payload back when undone', async () => {
    await dataSource.undoLastMigration();
    expect((await db.pool.query(`SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`)).rows[0].name).toBe('ExpiringPoints1764000032000');
    // A -0 too: PostgreSQL's jsonb text of it (what the migration keeps) says 0.
    const text = JSON.stringify({ id: 'whs_1', type: 'customer.created', data: { customer: { id: 'cust_m', name: 'Zo\ufffd' } }, event: { id: 'evm_bytes' } }).replace('"whs_1"', '"whs_1","balance":-0');
    const bytes = Buffer.concat([Buffer.from(text.slice(0, text.indexOf('\ufffd'))), Buffer.from([0xff]), Buffer.from(text.slice(text.indexOf('\ufffd') + 1))]);
    const insert = `INSERT INTO events (event_id, event_type, raw_body, payload, signature_status, envelope_format) VALUES ($1, 'customer.created', $2, $3::jsonb, 'imported', 'v2024-01-01')`;
    // As ingest stored them: payload is the bytes decoded by Node (a U+FFFD for the 0xff).
    await db.pool.query(insert, ['evm_bytes', bytes, bytes.toString('utf8')]);
    await db.pool.query(insert, ['evm_text', Buffer.from(text.replace('evm_bytes', 'evm_text')), text.replace('evm_bytes', 'evm_text')]);

    await dataSource.runMigrations({ transaction: 'each' });
    // (The text kept is PostgreSQL's jsonb text of the payload: the same JSON as Node's decoding, `verify` checks it so.)
    const rows = await db.pool.query(`SELECT event_id, decoded_body::jsonb AS decoded FROM events ORDER BY event_id`);
    expect(rows.rows.map((r) => [r.event_id, r.decoded === null ? null : sameJson(r.decoded, JSON.parse(bytes.toString('utf8')))])).toEqual([
      ['evm_bytes', true],
      ['evm_text', null],
    ]);
    expect((await verifyChain(db.pool)).ok).toBe(true);
    const columns = await db.pool.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'payload' AND NOT attisdropped`);
    expect(columns.rowCount).toBe(0);
    // What a projection reads of the body that is not UTF-8: the text ingest decoded.
    expect(sameJson((await readEvent(db.pool, 'evm_bytes'))?.payload, JSON.parse(bytes.toString('utf8')))).toBe(true);

    await dataSource.undoLastMigration();
    const back = await db.pool.query(`SELECT event_id, payload FROM events ORDER BY event_id`);
    expect(back.rows.map((r) => r.event_id)).toEqual(['evm_bytes', 'evm_text']);
    expect(sameJson(back.rows[0].payload, JSON.parse(bytes.toString('utf8')))).toBe(true);
    expect(sameJson(back.rows[1].payload, JSON.parse(text.replace('evm_bytes', 'evm_text')))).toBe(true);
    await dataSource.runMigrations({ transaction: 'each' });
  });
});
