import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';

/**
 * A start that fails after the service has connected (here: its migrations cannot reach their
 * database) must close what it opened. It used to leave the pool's connections open, which kept
 * a test worker alive until pg's idle timeout and was only ever hidden by the test dropping its
 * database (DROP ... WITH (FORCE) cut them).
 */
describe('a failed start', () => {
  // One database per test: a connection one test leaves must not count against the other.
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  /** Connections of the service (application_name loyalty-ledger*) to this database, waiting up to `ms` for them to end. */
  async function serviceConnections(ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const result = await db.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'loyalty-ledger%'`,
      );
      if (result.rows[0].n === 0 || Date.now() > deadline) return result.rows[0].n;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('closes its pool before it reports the failure', async () => {
    const unreachable = new URL(db.url);
    unreachable.pathname = '/no_database_of_that_name';
    await expect(startTestApp(db.url, { databaseMigrationUrl: unreachable.toString(), projector: 'on' })).rejects.toThrow(/no_database_of_that_name/);
    expect(await serviceConnections(2000)).toBe(0);
  });

  it('leaves nothing behind either when a started service is closed', async () => {
    const app = await startTestApp(db.url, { projector: 'on' });
    expect(await serviceConnections(0)).toBeGreaterThan(0);
    await app.close();
    expect(await serviceConnections(2000)).toBe(0);
  });
});
