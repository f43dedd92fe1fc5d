import { DataSource } from 'typeorm';
import { readEvent, verifyChain } from '../../libs/event-store/src';
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
    const text = JSON.stringify({ id: 'whs_1', type: 'customer.created', data: { customer: { id: 'cust_m', name: 'Zo\ufffd' } }, event: { id: 'evm_bytes' } });
    const bytes = Buffer.concat([Buffer.from(text.slice(0, text.indexOf('\ufffd'))), Buffer.from([0xff]), Buffer.from(text.slice(text.indexOf('\ufffd') + 1))]);
    const insert = `INSERT INTO events (event_id, event_type, raw_body, payload, signature_status, envelope_format) VALUES ($1, 'customer.created', $2, $3::jsonb, 'imported', 'v2024-01-01')`;
    // As ingest stored them: payload is the bytes decoded by Node (a U+FFFD for the 0xff).
    await db.pool.query(insert, ['evm_bytes', bytes, bytes.toString('utf8')]);
    await db.pool.query(insert, ['evm_text', Buffer.from(text.replace('evm_bytes', 'evm_text')), text.replace('evm_bytes', 'evm_text')]);

    await dataSource.runMigrations({ transaction: 'each' });
    // (The text kept is PostgreSQL's jsonb text of the payload: the same JSON as Node's decoding, `verify` checks it so.)
    const rows = await db.pool.query(`SELECT event_id, decoded_body::jsonb AS decoded FROM events ORDER BY event_id`);
    expect(rows.rows).toEqual([
      { event_id: 'evm_bytes', decoded: JSON.parse(bytes.toString('utf8')) },
      { event_id: 'evm_text', decoded: null },
    ]);
    expect((await verifyChain(db.pool)).ok).toBe(true);
    const columns = await db.pool.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'payload' AND NOT attisdropped`);
    expect(columns.rowCount).toBe(0);
    // What a projection reads of the body that is not UTF-8: the text ingest decoded.
    expect((await readEvent(db.pool, 'evm_bytes'))?.payload).toEqual(JSON.parse(bytes.toString('utf8')));

    await dataSource.undoLastMigration();
    const back = await db.pool.query(`SELECT event_id, payload FROM events ORDER BY event_id`);
    expect(back.rows).toEqual([
      { event_id: 'evm_bytes', payload: JSON.parse(bytes.toString('utf8')) },
      { event_id: 'evm_text', payload: JSON.parse(text.replace('evm_bytes', 'evm_text')) },
    ]);
    await dataSource.runMigrations({ transaction: 'each' });
  });
});
