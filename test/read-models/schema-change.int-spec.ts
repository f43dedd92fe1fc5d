import { Pool } from 'pg';
import {
  ALL_READ_MODELS,
  asProjection,
  toProjectedEvent,
} from '../../libs/projections/src';
import type { LogEvent } from '../../libs/event-store/src';
import { GetCustomerHandler, GetCustomerQuery } from '../../apps/ledger/src/customers/get-customer.query';
import { GetLoyaltyCardHandler, GetLoyaltyCardQuery } from '../../apps/ledger/src/loyalty-cards/get-loyalty-card.query';
import { ListLoyaltyCardsHandler, ListLoyaltyCardsQuery } from '../../apps/ledger/src/loyalty-cards/list-loyalty-cards.query';
import { ListLoyaltyTiersHandler, ListLoyaltyTiersQuery } from '../../apps/ledger/src/loyalty-tiers/list-loyalty-tiers.query';
import { ListRewardRedemptionsHandler, ListRewardRedemptionsQuery } from '../../apps/ledger/src/reward-redemptions/list-reward-redemptions.query';
import { ListVoucherHoldingsHandler, ListVoucherHoldingsQuery } from '../../apps/ledger/src/voucher-holdings/list-voucher-holdings.query';
import { PointsHistoryHandler, PointsHistoryQuery } from '../../apps/ledger/src/points-ledger/points-history.query';
import { FIXTURE_TYPES, loadFixtureData } from '../support/voucherify';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const TABLES = ALL_READ_MODELS.flatMap((m) => m.tables);

/** Every named statement of the read models and the read API, run once on the pool; `run` keeps each run's events apart. */
async function runEveryStatement(pool: Pool, run: number): Promise<void> {
  const client = await pool.connect();
  try {
    const probe = toProjectedEvent({
      position: 1,
      transactionId: '1',
      eventId: 'evt_probe',
      type: 'voucher.published',
      occurredAt: new Date('2024-01-01T00:00:00Z'),
      occurredAtGiven: true,
      receivedAt: new Date('2024-01-01T00:00:01Z'),
      signatureStatus: 'verified' as const,
      payload: { data: {} },
    });
    for (const model of ALL_READ_MODELS) await model.load(client, ['nobody'], [model.read(probe)].filter((read) => read !== null));
    // The real fixtures through every projection: loads that find rows, and every upsert.
    const events: LogEvent[] = FIXTURE_TYPES.map((type, i) => ({
      position: run * 10 + i,
      transactionId: String(run * 10 + i),
      eventId: `evt_schema_${run}_${i}`,
      type,
      occurredAt: new Date(Date.UTC(2024, 0, run, 0, i)),
      occurredAtGiven: true,
      receivedAt: new Date(Date.UTC(2024, 0, run, 0, i, 1)),
      signatureStatus: 'verified' as const,
      payload: { data: loadFixtureData(type) },
    }));
    for (const model of ALL_READ_MODELS) expect(await asProjection(model).apply(client, events)).toEqual([]);
  } finally {
    client.release();
  }
  await new GetCustomerHandler(pool).execute(new GetCustomerQuery('cust_nobody'));
  await new ListLoyaltyCardsHandler(pool).execute(new ListLoyaltyCardsQuery('cust_nobody'));
  await new ListRewardRedemptionsHandler(pool).execute(new ListRewardRedemptionsQuery('cust_nobody'));
  await new ListVoucherHoldingsHandler(pool).execute(new ListVoucherHoldingsQuery('cust_nobody'));
  await new ListLoyaltyTiersHandler(pool).execute(new ListLoyaltyTiersQuery('cust_nobody'));
  await new GetLoyaltyCardHandler(pool).execute(new GetLoyaltyCardQuery('NOPE'));
  const pointsHistory = (page: PointsHistoryQuery['page']) => new PointsHistoryHandler(pool).execute(new PointsHistoryQuery(page));
  const page = await pointsHistory({ customerId: 'cust_nobody', limit: 10 });
  expect(page).toBeNull();
  // Each variant of the points-history statement (by card, after a cursor) is a statement of its own.
  // A card with two entries or more, so that every variant has a row to answer with.
  const holder = (
    await pool.query(
      `SELECT c.customer_id, e.voucher_id FROM ledger_entries e JOIN loyalty_cards c USING (voucher_id)
       GROUP BY c.customer_id, e.voucher_id HAVING count(*) > 1 ORDER BY e.voucher_id LIMIT 1`,
    )
  ).rows[0];
  expect(holder).toBeDefined();
  const first = await pointsHistory({ customerId: holder.customer_id, voucherId: holder.voucher_id, limit: 1 });
  expect(first?.data.length).toBe(1);
  expect(first?.next_cursor).toEqual(expect.any(String));
  const second = await pointsHistory({ customerId: holder.customer_id, voucherId: holder.voucher_id, limit: 1, cursor: first!.next_cursor! });
  expect(second?.data.length).toBe(1);
  const unfiltered = await pointsHistory({ customerId: holder.customer_id, limit: 1 });
  expect(unfiltered?.data.length).toBe(1);
  const unfilteredNext = await pointsHistory({ customerId: holder.customer_id, limit: 1, cursor: unfiltered!.next_cursor! });
  expect(unfilteredNext?.data.length).toBe(1);
}

// The service prepares its hot statements once per connection. A migration adding a column while
// it runs must not break them: PostgreSQL refuses to re-plan a prepared statement whose result
// columns changed ("cached plan must not change result type"), so none may select `*`.
describe('named statements when a read-model table gains a column', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 1 }); // one connection: it prepared every statement
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('still run on the connection that prepared them', async () => {
    await runEveryStatement(pool, 1);
    for (const table of TABLES) await db.pool.query(`ALTER TABLE ${table} ADD COLUMN added_later text`);
    await expect(runEveryStatement(pool, 2)).resolves.toBeUndefined();
  });
});
