import { Pool } from 'pg';
import {
  ALL_READ_MODELS,
  findCustomer,
  listLoyaltyCards,
  listRewardRedemptions,
  listVoucherHoldings,
  pagePointsHistory,
  toProjectedEvent,
} from '../../libs/projections/src';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const TABLES = ALL_READ_MODELS.flatMap((m) => m.tables);

/** Every named statement of the read models and the read API, run once on the pool. */
async function runEveryStatement(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    const event = toProjectedEvent({
      position: 1,
      transactionId: '1',
      eventId: 'evt_probe',
      type: 'voucher.published',
      occurredAt: new Date('2024-01-01T00:00:00Z'),
      payload: { data: {} },
    });
    for (const model of ALL_READ_MODELS) await model.load(client, ['nobody'], [event]);
  } finally {
    client.release();
  }
  await findCustomer(pool, 'cust_nobody');
  await listLoyaltyCards(pool, 'cust_nobody');
  await listRewardRedemptions(pool, 'cust_nobody');
  await listVoucherHoldings(pool, 'cust_nobody');
  await pagePointsHistory(pool, { customerId: 'cust_nobody', limit: 10 });
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
    await runEveryStatement(pool);
    for (const table of TABLES) await db.pool.query(`ALTER TABLE ${table} ADD COLUMN added_later text`);
    await expect(runEveryStatement(pool)).resolves.toBeUndefined();
  });
});
