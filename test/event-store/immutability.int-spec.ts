import { createTestDatabase, TestDatabase } from '../support/test-database';

const INSERT = `INSERT INTO events (event_id, event_type, raw_body, signature_status, envelope_format)
                VALUES ($1, 'customer.created', '\\x7b7d', 'unsigned', 'v2024-01-01')`;

describe('the events table is append-only in the database itself', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(INSERT, ['evcus_immutable_1']);
  });
  afterAll(async () => db?.drop());

  it.each([
    ['UPDATE', `UPDATE events SET event_type = 'forged'`],
    ['DELETE', `DELETE FROM events`],
    ['TRUNCATE', `TRUNCATE events`],
    ['TRUNCATE CASCADE', `TRUNCATE events CASCADE`],
  ])('refuses %s', async (_name, sql) => {
    await expect(db.pool.query(sql)).rejects.toThrow(/append-only/);
    const rows = await db.pool.query('SELECT event_id, event_type FROM events');
    expect(rows.rows).toEqual([{ event_id: 'evcus_immutable_1', event_type: 'customer.created' }]);
  });

  it('still accepts appends', async () => {
    await db.pool.query(INSERT, ['evcus_immutable_2']);
    const rows = await db.pool.query('SELECT count(*) FROM events');
    expect(Number(rows.rows[0].count)).toBe(2);
  });

  it('refuses a second row with the same event id', async () => {
    await expect(db.pool.query(INSERT, ['evcus_immutable_1'])).rejects.toThrow(/events_event_id_key/);
  });
});
