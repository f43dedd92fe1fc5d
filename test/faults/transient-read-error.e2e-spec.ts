import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A read whose statement loses a race (here: cancelled while it waits for a lock, SQLSTATE 57014)
 * is a failure a retry can cure, like a database that is away: 503 with Retry-After, as ingest
 * answers, never a 500. libs/event-store/src/database-errors.ts decides it for every route.
 */
describe('a transient database error on a read', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url);
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('answers 503 with Retry-After, and the next read succeeds', async () => {
    const locker = await db.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
      const answer = fetch(`${service.baseUrl}/customers/cust_locked_out`);
      // The service's read is now waiting for the lock: cancel that statement, as a DBA or a lock timeout would.
      let cancelled = false;
      for (let attempt = 0; attempt < 100 && !cancelled; attempt++) {
        const { rows } = await db.pool.query<{ cancelled: boolean }>(
          `SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
          [(locker as unknown as { processID: number }).processID],
        );
        cancelled = rows.some((r) => r.cancelled);
        if (!cancelled) await new Promise((r) => setTimeout(r, 50));
      }
      expect(cancelled).toBe(true);
      const response = await answer;
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({ status: 503 });
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    expect((await fetch(`${service.baseUrl}/customers/cust_locked_out`)).status).toBe(404);
  });
});
