import { DataSource } from 'typeorm';
import { runMigrationsLocked } from '../../apps/ledger/src/database/migration-runner';
import { ALL_MIGRATIONS } from '../../migrations';
import { createTestDatabase, TestDatabase } from '../support/test-database';

function dataSourceFor(url: string): DataSource {
  return new DataSource({ type: 'postgres', url, migrations: ALL_MIGRATIONS, migrationsTableName: 'typeorm_migrations' });
}

const ALL_TABLES = [
  'campaign_point_values', 'campaign_revenue_estimates', 'campaigns', 'chain_forms', 'closed_periods', 'customers', 'erasable_fields', 'erasures', 'event_chain', 'events', 'ledger_deletions', 'ledger_entries',
  'ledger_gaps', 'ledger_observations', 'loyalty_cards', 'loyalty_tiers', 'pending_point_movements', 'point_expiry_buckets', 'point_expiry_reads', 'projection_checkpoints',
  'projection_dead_letters', 'reconciliation_runs', 'rejected_deliveries', 'rejected_delivery_counts', 'reward_redemptions', 'typeorm_migrations',
  'verify_runs', 'voucher_holder_assignments', 'voucher_holdings',
];

const tables = async (db: TestDatabase) =>
  (await db.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename);

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => db?.drop());

  it('apply once when several instances start together', async () => {
    const instances = [dataSourceFor(db.url), dataSourceFor(db.url), dataSourceFor(db.url)];
    await Promise.all(instances.map((d) => d.initialize()));
    try {
      const applied = await Promise.all(instances.map((d) => runMigrationsLocked(d)));
      expect(applied.flat()).toEqual(ALL_MIGRATIONS.map((m) => m.name));
    } finally {
      await Promise.all(instances.map((d) => d.destroy()));
    }
    expect(await tables(db)).toEqual(ALL_TABLES);
    // One copy of each body: the raw bytes, stored out of line, uncompressed; no parsed payload beside them.
    const storage = await db.pool.query(
      `SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname IN ('raw_body', 'payload', 'decoded_body') AND NOT attisdropped ORDER BY attname`,
    );
    expect(storage.rows).toEqual([
      { attname: 'decoded_body', attstorage: 'x' },
      { attname: 'raw_body', attstorage: 'e' },
    ]);
  });

  it('undo every step with down and apply again with up', async () => {
    const dataSource = dataSourceFor(db.url);
    await dataSource.initialize();
    try {
      const storageOf = async (column: string) =>
        (await db.pool.query(`SELECT attstorage FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = $1`, [column])).rows[0]
          ?.attstorage;
      // TRUNCATE: its statement trigger fires on an empty table too.
      const refusalMessage = async () => {
        const error = await db.pool.query(`TRUNCATE event_chain`).then(() => undefined, (e: Error) => e);
        return error?.message ?? 'no refusal';
      };
      const undone: string[] = [];
      for (let i = 0; i < ALL_MIGRATIONS.length; i++) {
        const last = await db.pool.query(`SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`);
        if (last.rows[0].name === 'AppendOnlyMessageNamesTable1764000006000') {
          expect(await refusalMessage()).toBe('the event_chain table is append-only: TRUNCATE is not allowed');
        }
        await dataSource.undoLastMigration();
        // Undoing migration 6 gives the trigger its earlier message back.
        if (last.rows[0].name === 'AppendOnlyMessageNamesTable1764000006000') {
          expect(await refusalMessage()).toBe('the events table is append-only: TRUNCATE is not allowed');
        }
        undone.push(last.rows[0].name);
        // Undoing migration 5 gives raw bodies back their default, compressed storage.
        if (last.rows[0].name === 'RawBodyUncompressed1764000005000') expect(await storageOf('raw_body')).toBe('x');
        // Undoing migration 33 gives the payload copy back, stored as migration 21 left it.
        if (last.rows[0].name === 'OneCopyOfEachWebhook1764000033000') expect(await storageOf('payload')).toBe('e');
        // Undoing migration 21 gives payloads back theirs.
        if (last.rows[0].name === 'PayloadUncompressed1764000021000') expect(await storageOf('payload')).toBe('x');
      }
      expect(undone).toContain('RawBodyUncompressed1764000005000');
      expect(undone).toContain('PayloadUncompressed1764000021000');
      expect(undone).toContain('OneCopyOfEachWebhook1764000033000');
      expect(undone).toContain('AppendOnlyMessageNamesTable1764000006000');
      expect(await tables(db)).toEqual(['typeorm_migrations']);
      await runMigrationsLocked(dataSource);
      expect(await tables(db)).toEqual(ALL_TABLES);
    } finally {
      await dataSource.destroy();
    }
  });
});
