import { useLedgerService } from '../support/ledger-service';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { PROJECTION_NAMES } from '../../libs/projections/src';
import { startTestApp, TestApp } from '../support/test-app';
import { getJson } from '../support/read-api';
import { envelope, loadFixtureData, postWebhook } from '../support/voucherify';

const JOHN = 'cust_2myfc5acSBgoMV72R5tyTBc8';
const JACK = 'cust_IdgAFZxYwwHctOk9pPuMu308';

/** Event times as Voucherify would have sent them, taken from each fixture's own timestamps. */
const EVENT_TIMES: Record<string, string> = {
  'voucher.published': '2024-01-18T15:19:26.595Z',
  'customer.rewarded': '2024-01-18T15:27:56.300Z',
  'customer.reward_redemptions.completed': '2024-05-13T12:26:12.200Z',
  'customer.reward_redemptions.pending': '2024-05-13T12:34:10.500Z',
  'redemption.succeeded': '2024-01-15T12:20:38.700Z',
};

async function deliver(service: { baseUrl: string }, types: string[]): Promise<number> {
  let last = 0;
  for (const type of types) {
    const body = JSON.stringify(envelope(type, loadFixtureData(type), { createdAt: EVENT_TIMES[type] }));
    const response = await postWebhook(service.baseUrl, body);
    expect(response.status).toBe(202);
    last = Math.max(last, response.json.position);
  }
  return last;
}

describe('read models built from the five Voucherify fixtures', () => {
  let db: TestDatabase;
  let service: TestApp;
  let head: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { projectorPollMs: 50 });
    // The newer snapshot of John's card (pending, 12:34) arrives before the older one (completed, 12:25).
    head = await deliver(service, [
      'customer.reward_redemptions.pending',
      'customer.reward_redemptions.completed',
      'voucher.published',
      'customer.rewarded',
      'redemption.succeeded',
    ]);
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it("ends John Demo's card H0h9royZ at the snapshot with the newest source time", async () => {
    const { status, json } = await getJson(service.baseUrl, `/customers/${JOHN}/loyalty-cards`, head);
    expect(status).toBe(200);
    expect(json.data).toEqual([
      expect.objectContaining({
        code: 'H0h9royZ',
        voucher_id: 'v_p7NP2qmQaMXsNHzb9ujPVjqgDJzJ2ccQ',
        customer_id: JOHN,
        campaign_name: 'loyalty_1305',
        points: 370,
        balance: 70,
        redeemed_points: 300,
        updated_at: '2024-05-13T12:34:01.487Z',
      }),
    ]);
  });

  it('totals the customer over their cards, found by id or by source_id', async () => {
    const byId = await getJson(service.baseUrl, `/customers/${JOHN}`, head);
    const bySourceId = await getJson(service.baseUrl, '/customers/130524-01', head);
    expect(byId.json).toMatchObject({
      id: JOHN,
      source_id: '130524-01',
      name: 'John Demo',
      loyalty: { points: 370, balance: 70, redeemed_points: 300, pending_points: 0, cards: 1 },
    });
    expect(bySourceId.json).toEqual(byId.json);
  });

  it("gives John's two reward redemptions their states", async () => {
    const { json } = await getJson(service.baseUrl, `/customers/${JOHN}/reward-redemptions`, head);
    const states = Object.fromEntries(json.data.map((r: any) => [r.id, r.state]));
    expect(states).toEqual({ rewr_N5xhKgV5tJBmJxrtb5YB7V3q: 'COMPLETED', rewr_23IX6dCFJe03AX4M56KcI95D: 'PENDING' });

    const completed = await getJson(service.baseUrl, '/reward-redemptions/rewr_N5xhKgV5tJBmJxrtb5YB7V3q', head);
    expect(completed.json).toMatchObject({
      state: 'COMPLETED',
      customer_id: JOHN,
      voucher_id: 'v_p7NP2qmQaMXsNHzb9ujPVjqgDJzJ2ccQ',
      points: 100,
      source_id: 'r_0ebe369389d0528f1f',
      transitions: [{ from: null, to: 'COMPLETED', at: '2024-05-13T12:26:12.200Z', applied: true }],
    });
    const pending = await getJson(service.baseUrl, `/customers/${JOHN}/reward-redemptions?state=PENDING`, head);
    expect(pending.json.data.map((r: any) => r.id)).toEqual(['rewr_23IX6dCFJe03AX4M56KcI95D']);
  });

  it('lists discount voucher tKSTdVk2, received as a reward, among John’s holdings', async () => {
    const { json } = await getJson(service.baseUrl, `/customers/${JOHN}/vouchers`, head);
    const byCode = Object.fromEntries(json.data.map((v: any) => [v.code, v]));
    expect(byCode.tKSTdVk2).toMatchObject({
      type: 'DISCOUNT_VOUCHER',
      acquired_via: 'reward',
      status: 'active',
      discount: { type: 'PERCENT', percent_off: 10 },
      redemption: { quantity: 1, redeemed_quantity: 0 },
    });
    expect(byCode.H0h9royZ).toMatchObject({ type: 'LOYALTY_CARD', status: 'active' });

    const voucher = await getJson(service.baseUrl, '/vouchers/tKSTdVk2', head);
    expect(voucher.json).toMatchObject({ code: 'tKSTdVk2', holder: { id: JOHN, name: 'John Demo' } });
  });

  it("ends Jack Webhook's card L0y4L at 900 / 850", async () => {
    const { json } = await getJson(service.baseUrl, `/customers/${JACK}`, head);
    expect(json.loyalty).toMatchObject({ points: 900, balance: 850, cards: 1 });
  });

  it('answers every list the same by source_id as by customer id', async () => {
    for (const path of ['/loyalty-cards', '/points-history', '/reward-redemptions', '/vouchers']) {
      const byId = await getJson(service.baseUrl, `/customers/${JOHN}${path}`, head);
      const bySourceId = await getJson(service.baseUrl, `/customers/130524-01${path}`, head);
      expect(byId.json.data.length).toBeGreaterThan(0);
      expect([path, bySourceId.status, bySourceId.json]).toEqual([path, 200, byId.json]);
    }
  });

  it('answers an empty list, not 404, for a known customer with nothing of that kind', async () => {
    const { status, json } = await getJson(service.baseUrl, `/customers/${JACK}/reward-redemptions`, head);
    expect([status, json]).toEqual([200, { data: [] }]);
    const filtered = await getJson(service.baseUrl, `/customers/${JOHN}/points-history?voucher_id=v_none`, head);
    expect([filtered.status, filtered.json]).toEqual([200, { data: [], next_cursor: null }]);
  });

  it('keeps a points history per card in source-time order', async () => {
    const { json } = await getJson(service.baseUrl, `/customers/${JACK}/points-history`, head);
    // The publication at 0/0 moved nothing, so it is no entry: the chain explains it. customer.rewarded
    // is a reward paid in points (redemption.amount 50): the card paid 50, and the 900 it had before
    // came through a webhook these five fixtures do not hold (customer.rewarded.loyalty_points).
    expect(json.data.map((e: any) => [e.event_type, e.delta, e.balance_after])).toEqual([['customer.rewarded', -50, 850]]);
    expect(json.next_cursor).toBeNull();
  });

  it('reports every projection caught up', async () => {
    const { json } = await getJson(service.baseUrl, '/projections', head);
    expect(json.data).toHaveLength(PROJECTION_NAMES.length);
    for (const projection of json.data) {
      expect(projection).toMatchObject({ events_behind: 0, parked_events: 0, last_error: null });
    }
  });

  it('answers 404 for unknown ids and 400 for bad parameters', async () => {
    for (const path of ['', '/loyalty-cards', '/points-history', '/reward-redemptions', '/vouchers']) {
      const { status, json } = await getJson(service.baseUrl, `/customers/cust_nobody${path}`);
      expect([path, status, json.message]).toEqual([path, 404, 'no customer with id or source_id cust_nobody']);
    }
    expect((await getJson(service.baseUrl, '/reward-redemptions/rewr_nothing')).status).toBe(404);
    expect((await getJson(service.baseUrl, '/vouchers/NOPE')).status).toBe(404);
    expect((await getJson(service.baseUrl, `/customers/${JOHN}/reward-redemptions?state=DONE`)).status).toBe(400);
    expect((await getJson(service.baseUrl, `/customers/${JOHN}/points-history?limit=0`)).status).toBe(400);
    expect((await getJson(service.baseUrl, `/customers/${JOHN}/points-history?cursor=garbage`)).status).toBe(400);
  });
});

describe("Jack Webhook's card whichever order the two events arrive in", () => {
  it.each([
    ['published first', ['voucher.published', 'customer.rewarded']],
    ['rewarded first', ['customer.rewarded', 'voucher.published']],
  ])('%s → 900 / 850', async (_name, order) => {
    const db = await createTestDatabase();
    const service = await startTestApp(db.url, { projectorPollMs: 50 });
    try {
      const head = await deliver(service, order);
      const { json } = await getJson(service.baseUrl, `/customers/${JACK}/loyalty-cards`, head);
      expect(json.data).toEqual([expect.objectContaining({ code: 'L0y4L', points: 900, balance: 850, redeemed_points: 50 })]);
    } finally {
      await service.close();
      await db.drop();
    }
  });
});

describe('X-Min-Position', () => {
  // Unsigned webhooks (no secret), and no projector: positions the read models never reach.
  const service = useLedgerService({ projector: 'off', minPositionTimeoutMs: 300, webhookSecrets: [] });

  it('answers 503 with the checkpoints when the projections do not reach the position in time', async () => {
    const head = await deliver(service, ['voucher.published']);
    const started = Date.now();
    const { status, json } = await getJson(service.baseUrl, `/customers/${JACK}/loyalty-cards`, head);
    expect(status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(json).toMatchObject({ status: 503, code: 'service_unavailable', checkpoints: expect.objectContaining({ loyalty_cards: null }) });
  });

  it('answers 400 for a position that is not a number', async () => {
    expect((await getJson(service.baseUrl, '/projections', undefined)).status).toBe(200);
    const response = await fetch(`${service.baseUrl}/customers/${JACK}`, { headers: { 'x-min-position': 'soon' } });
    expect(response.status).toBe(400);
  });
});
