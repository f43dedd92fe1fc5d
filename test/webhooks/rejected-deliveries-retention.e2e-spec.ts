import type { Pool } from 'pg';
import { PG_POOL } from '../../apps/ledger/src/database/database.module';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  RejectedDeliveriesRetention,
  RETENTION_INTERVAL,
  RETENTION_INTERVAL_MS,
} from '../../apps/ledger/src/rejected-deliveries/rejected-deliveries-retention';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/** Refused deliveries are kept REJECTED_DELIVERIES_RETENTION_DAYS, then deleted. */
describe('rejected_deliveries retention', () => {
  let db: TestDatabase;
  let service: TestApp | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await db?.drop();
  });

  /** `count` refusals, `daysAgo` days old (fractions allowed). */
  const refusals = (count: number, daysAgo: number, reason: string) =>
    db.pool.query(
      `INSERT INTO rejected_deliveries (rejected_at, status_code, reason)
       SELECT now() - make_interval(secs => $2::float8 * 86400), 401, $3 FROM generate_series(1, $1)`,
      [count, daysAgo, reason],
    );
  const remaining = async () =>
    Object.fromEntries(
      (await db.pool.query('SELECT reason, count(*)::int AS n FROM rejected_deliveries GROUP BY reason')).rows.map((r) => [r.reason, r.n]),
    );

  it('deletes the refusals past the retention, in chunks, and keeps the rest', async () => {
    service = await startTestApp(db.url, { rejectedDeliveriesRetentionDays: 7 });
    await service.app.get(RejectedDeliveriesRetention).prune(); // the run at start is over: the count below is this run's
    await refusals(12_001, 8, 'old'); // more than two chunks
    await refusals(3, 7.01, 'just_past');
    await refusals(2, 6.99, 'just_inside');
    await refusals(1, 0, 'new');

    // Spied on, not replaced: the DELETEs run against PostgreSQL; the spy counts them.
    const queries = jest.spyOn(service.app.get<Pool>(PG_POOL), 'query');
    expect(await service.app.get(RejectedDeliveriesRetention).prune()).toBe(12_004);
    const deletes = queries.mock.calls.filter(
      ([sql]) => typeof sql === 'string' && sql.startsWith('DELETE FROM rejected_deliveries') && sql.includes('rejected_at <'),
    );
    expect(deletes).toHaveLength(3); // 5,000 + 5,000 + 2,004: short transactions, not one
    queries.mockRestore();
    expect(await remaining()).toEqual({ just_inside: 2, new: 1 });
    expect(await service.app.get(RejectedDeliveriesRetention).prune()).toBe(0);
  });

  it('runs at start', async () => {
    await refusals(5, 40, 'old');
    await refusals(1, 1, 'new');
    service = await startTestApp(db.url); // default: 30 days
    const deadline = Date.now() + 10_000;
    while ((await remaining()).old !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await remaining()).toEqual({ new: 1 });
  });

  it('runs every hour: the interval registered with the scheduler prunes when it fires', async () => {
    service = await startTestApp(db.url, { rejectedDeliveriesRetentionDays: 7 });
    // Node's own (undocumented) Timeout fields: the period the scheduler asked for and the
    // callback it gave. A spy on setInterval saw no call from the scheduler under Jest.
    const timer = service.app.get(SchedulerRegistry).getInterval(RETENTION_INTERVAL) as NodeJS.Timeout & {
      _idleTimeout: number;
      _repeat: number | null;
      _onTimeout: () => void;
    };
    expect(timer._idleTimeout).toBe(RETENTION_INTERVAL_MS);
    expect(timer._repeat).toBe(RETENTION_INTERVAL_MS);
    await service.app.get(RejectedDeliveriesRetention).prune(); // the run at start is over: only the timer can delete below
    await refusals(4, 8, 'old');
    await refusals(1, 1, 'new');
    timer._onTimeout(); // what an hour passing does
    const deadline = Date.now() + 10_000;
    while ((await remaining()).old !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await remaining()).toEqual({ new: 1 });
  });
});
