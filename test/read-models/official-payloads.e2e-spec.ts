import { rebuildProjections } from '../../libs/event-store/src';
import { rebuildTargets } from '../../libs/projections/src';
import { GetLoyaltyCardHandler, GetLoyaltyCardQuery } from '../../apps/ledger/src/loyalty-cards/get-loyalty-card.query';
import { getJson } from '../support/read-api';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook, uniqueId } from '../support/voucherify';

/*
 * The shapes of docs/voucherify.md, section 9, sent to the real service
 * and read back over REST: each answer here was different (or absent) before the read models
 * read these shapes.
 */

const CUSTOMER = { id: 'cust_shapes', source_id: 'src-shapes', name: 'Shape Tester', object: 'customer' };
const REFERRER = { id: 'cust_referrer', name: 'Referrer', object: 'customer' };
const at = (minute: number) => `2024-05-13T10:${String(minute).padStart(2, '0')}:00.000Z`;

const discount = (id: string, code: string, campaignId = 'camp_coupons') => ({
  id,
  code,
  object: 'voucher',
  type: 'DISCOUNT_VOUCHER',
  campaign: 'Coupons',
  campaign_id: campaignId,
  holder_id: CUSTOMER.id,
  active: true,
  discount: { type: 'PERCENT', percent_off: 10 },
  created_at: at(1),
  updated_at: at(1),
  redemption: { quantity: 1, redeemed_quantity: 0 },
});
const card = (id: string, code: string, minute: number, points: number, extra: Record<string, unknown> = {}) => ({
  id,
  code,
  object: 'voucher',
  type: 'LOYALTY_CARD',
  campaign: 'Loyalty',
  campaign_id: 'camp_loyalty',
  holder_id: CUSTOMER.id,
  active: true,
  created_at: at(0),
  updated_at: at(minute),
  loyalty_card: { points, balance: points },
  redemption: { redeemed_points: 0 },
  ...extra,
});
const holder = {
  id: 'rh_referee',
  object: 'redeemable_holder',
  customer_id: CUSTOMER.id,
  holder_role: 'REFEREE',
  redeemable_id: 'v_referral',
  redeemable_object: 'voucher',
  campaign_id: 'camp_referral',
  campaign_type: 'REFERRAL_PROGRAM',
  voucher_type: 'DISCOUNT_VOUCHER',
  created_at: at(5),
};
const referral = { ...discount('v_referral', 'REF-SHAPES', 'camp_referral'), holder_id: REFERRER.id, campaign: 'Referrals' };
const tier = (id: string, name: string) => ({ id, object: 'loyalty_tier', name, campaign_id: 'camp_loyalty' });

describe('read models on the official payload shapes', () => {
  let db: TestDatabase;
  let service: TestApp;

  async function send(type: string, data: Record<string, unknown>, minute: number): Promise<number> {
    const response = await postWebhook(service.baseUrl, JSON.stringify(envelope(type, data, { createdAt: at(minute), eventId: uniqueId('evshape_') })));
    expect(response.status).toBe(202);
    return response.json.position;
  }
  const read = async (path: string, position: number) => {
    const { status, json } = await getJson(service.baseUrl, path, position);
    expect([path, status]).toEqual([path, 200]);
    return json;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { projectorPollMs: 50 });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('makes each voucher of a publication.succeeded (vouchers[] and vouchers_id[]) a holding', async () => {
    const position = await send(
      'publication.succeeded',
      {
        customer: CUSTOMER,
        vouchers: [discount('v_pub_a', 'PUB-A'), discount('v_pub_b', 'PUB-B')],
        publication: { id: 'pub_shapes', object: 'publication', customer_id: CUSTOMER.id, created_at: at(2), result: 'SUCCESS', vouchers_id: ['v_pub_a', 'v_pub_b', 'v_pub_c'] },
      },
      2,
    );
    const { data } = await read(`/customers/${CUSTOMER.id}/vouchers`, position);
    expect(data.map((v: any) => [v.voucher_id, v.code, v.acquired_via, v.acquired_at, v.status])).toEqual([
      ['v_pub_a', 'PUB-A', 'publication', at(2), 'active'],
      ['v_pub_b', 'PUB-B', 'publication', at(2), 'active'],
      ['v_pub_c', null, 'publication', at(2), 'active'],
    ]);
  });

  it('takes a reward redemption created with state PENDING as PENDING', async () => {
    const position = await send(
      'customer.reward_redemptions.created',
      {
        customer: CUSTOMER,
        reward_redemption: { id: 'rewr_shapes', object: 'reward_redemption', customer_id: CUSTOMER.id, state: 'PENDING', created_at: at(3) },
        reward: { id: 'rew_1', name: 'Mug', type: 'MATERIAL' },
      },
      3,
    );
    expect(await read('/reward-redemptions/rewr_shapes', position)).toMatchObject({ state: 'PENDING', transitions: [{ from: null, to: 'PENDING', applied: true }] });
    const { data } = await read(`/customers/${CUSTOMER.id}/reward-redemptions?state=PENDING`, position);
    expect(data.map((r: any) => r.id)).toEqual(['rewr_shapes']);
  });

  it('lists a voucher assigned to the customer as a referee, and drops it when the assignment is deleted', async () => {
    const assigned = await send('customer.holder.assignment.created', { customer: CUSTOMER, holder, voucher: referral }, 5);
    const referee = await read(`/customers/${CUSTOMER.id}/vouchers`, assigned);
    expect(referee.data.find((v: any) => v.voucher_id === 'v_referral')).toMatchObject({
      code: 'REF-SHAPES',
      acquired_via: 'holder_assignment',
      holder_role: 'REFEREE',
      acquired_at: at(5),
      customer_id: CUSTOMER.id,
      status: 'active',
    });
    // The code's owner (data.voucher.holder_id) still holds it, and not through an assignment.
    const owner = await read(`/customers/${REFERRER.id}/vouchers`, assigned);
    expect(owner.data.map((v: any) => [v.voucher_id, v.acquired_via, v.holder_role])).toEqual([['v_referral', 'unknown', null]]);
    // The redeemable holder is no customer.
    expect((await getJson(service.baseUrl, '/customers/rh_referee', assigned)).status).toBe(404);

    const removed = await send('customer.holder.assignment.deleted', { customer: CUSTOMER, holder, voucher: referral }, 6);
    const after = await read(`/customers/${CUSTOMER.id}/vouchers`, removed);
    expect(after.data.map((v: any) => v.voucher_id)).not.toContain('v_referral');
    expect((await read(`/customers/${REFERRER.id}/vouchers`, removed)).data).toHaveLength(1);
  });

  it('leaves a deleted card out of the totals, and shows a disabled one as disabled', async () => {
    await send('voucher.loyalty_card.points_added', { customer: CUSTOMER, voucher: card('v_card_keep', 'KEEP', 7, 100) }, 7);
    await send('voucher.loyalty_card.points_added', { customer: CUSTOMER, voucher: card('v_card_gone', 'GONE', 7, 40) }, 7);
    await send('voucher.loyalty_card.points_added', { customer: CUSTOMER, voucher: card('v_card_off', 'OFF', 7, 5) }, 7);
    await send('voucher.deleted', { voucher: card('v_card_gone', 'GONE', 8, 40), campaign: { id: 'camp_loyalty', name: 'Loyalty' } }, 8);
    const position = await send('voucher.disabled', { voucher: card('v_card_off', 'OFF', 8, 5, { active: false }), campaign: { id: 'camp_loyalty' } }, 8);

    const customer = await read(`/customers/${CUSTOMER.id}`, position);
    expect(customer.loyalty).toMatchObject({ points: 105, balance: 105, cards: 2 });
    const cards = await read(`/customers/${CUSTOMER.id}/loyalty-cards`, position);
    expect(cards.data.map((c: any) => [c.code, c.status])).toEqual([
      ['GONE', 'deleted'],
      ['KEEP', 'active'],
      ['OFF', 'disabled'],
    ]);
    const vouchers = await read(`/customers/${CUSTOMER.id}/vouchers?status=deleted`, position);
    expect(vouchers.data.map((v: any) => v.voucher_id)).toEqual(['v_card_gone']);
    expect(await new GetLoyaltyCardHandler(db.pool).execute(new GetLoyaltyCardQuery('OFF'))).toMatchObject({ voucher_id: 'v_card_off', status: 'disabled', points: 5 });

    // The deleted card's 40 points are written off at its deletion: the ledger, the period report
    // and the as-of answer agree with the customer's totals.
    const ledger = (await read('/loyalty-cards/v_card_gone/ledger?limit=10', position)).data.reverse();
    expect(ledger.map((e: any) => [e.kind, e.points, e.balance_after, e.occurred_at])).toEqual([
      ['added', 40, 40, at(7)],
      ['written_off', -40, 0, at(8)],
    ]);
    const report = await read(`/reports/points?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(9))}&campaign_id=camp_loyalty`, position);
    const campaign = report.campaigns.find((c: any) => c.campaign_id === 'camp_loyalty');
    expect(campaign.movements.written_off).toBe(-40);
    const asOf = await read(`/customers/${CUSTOMER.id}?as_of=${encodeURIComponent(at(9))}`, position);
    expect(asOf.loyalty.balance).toBe(customer.loyalty.balance);
    const gone = await getJson(service.baseUrl, `/loyalty-cards/v_card_gone?as_of=${encodeURIComponent(at(9))}`, position);
    expect([gone.status, gone.json.balance ?? null]).not.toEqual([200, 40]);

    // Voucherify gives the deleted card's code to a new card: the code answers the live one.
    const reused = await send('voucher.loyalty_card.points_added', { customer: REFERRER, voucher: card('v_card_new', 'GONE', 9, 7, { holder_id: REFERRER.id, campaign_id: 'camp_reuse' }) }, 9);
    expect((await read('/loyalty-cards/GONE', reused)).voucher_id).toBe('v_card_new');
    expect((await read('/loyalty-cards/v_card_gone', reused)).voucher_id).toBe('v_card_gone');
  });

  it('shows a campaign’s state on its cards and holdings: the newest event wins, a late disable does not undo a later enable', async () => {
    await send('campaign.enabled', { campaign: { id: 'camp_coupons', name: 'Coupons', active: true } }, 12);
    // Sent after, but happened before the enable.
    let position = await send('campaign.disabled', { campaign: { id: 'camp_coupons', name: 'Coupons', active: false } }, 11);
    let vouchers = await read(`/customers/${CUSTOMER.id}/vouchers?status=active`, position);
    expect(vouchers.data.map((v: any) => v.voucher_id)).toEqual(expect.arrayContaining(['v_pub_a', 'v_pub_b', 'v_pub_c']));

    position = await send('campaign.disabled', { campaign: { id: 'camp_coupons', name: 'Coupons', active: false } }, 13);
    vouchers = await read(`/customers/${CUSTOMER.id}/vouchers?status=disabled`, position);
    // The disabled card is listed for its own state; v_pub_c was only named by id, so its campaign is unknown.
    expect(vouchers.data.map((v: any) => [v.voucher_id, v.campaign_status])).toEqual([
      ['v_card_off', null],
      ['v_pub_a', 'disabled'],
      ['v_pub_b', 'disabled'],
    ]);

    position = await send('campaign.deleted', { campaign: { id: 'camp_loyalty', name: 'Loyalty', deleted_at: at(14) } }, 14);
    const cards = await read(`/customers/${CUSTOMER.id}/loyalty-cards`, position);
    expect(cards.data.map((c: any) => [c.code, c.status, c.campaign_status])).toEqual([
      ['GONE', 'deleted', 'deleted'],
      ['KEEP', 'deleted', 'deleted'],
      ['OFF', 'deleted', 'deleted'],
    ]);
    expect((await read(`/customers/${CUSTOMER.id}`, position)).loyalty).toMatchObject({ points: 0, balance: 0, cards: 0 });
    // The ledger writes the campaign's cards off at its deletion: the cards it knew then (keys the
    // event cannot name) and one whose first webhook comes after it.
    const lastEntry = async (voucherId: string, p: number) => (await read(`/loyalty-cards/${voucherId}/ledger?limit=1`, p)).data[0];
    expect(await lastEntry('v_card_keep', position)).toMatchObject({ kind: 'written_off', points: -100, balance_after: 0, occurred_at: at(14) });
    const late = await send('voucher.loyalty_card.points_added', { customer: CUSTOMER, voucher: card('v_card_late', 'LATE', 10, 25) }, 15);
    expect(await lastEntry('v_card_late', late)).toMatchObject({ kind: 'written_off', points: -25, balance_after: 0, occurred_at: at(14) });
  });

  it('answers the current tier per campaign and its history at GET /customers/{id}/loyalty-tiers', async () => {
    const base = (minute: number) => ({ customer: CUSTOMER, campaign: { id: 'camp_loyalty', name: 'Loyalty' }, created_at: at(minute) });
    // The upgrade arrives before the join it follows.
    await send('customer.loyalty.tier.upgraded', { ...base(21), loyalty_tier_from: tier('ltr_bronze', 'Bronze'), loyalty_tier_to: tier('ltr_silver', 'Silver') }, 21);
    const position = await send('customer.loyalty.tier.joined', { ...base(20), loyalty_tier: tier('ltr_bronze', 'Bronze') }, 20);
    const bySourceId = await read(`/customers/${CUSTOMER.source_id}/loyalty-tiers`, position);
    expect(bySourceId).toEqual({
      data: [
        {
          campaign_id: 'camp_loyalty',
          campaign_name: 'Loyalty',
          tier: { id: 'ltr_silver', name: 'Silver' },
          since: at(21),
          source_time_untrusted: false,
          history: [
            expect.objectContaining({ event_type: 'customer.loyalty.tier.joined', from: null, to: { id: 'ltr_bronze', name: 'Bronze' }, at: at(20) }),
            expect.objectContaining({
              event_type: 'customer.loyalty.tier.upgraded',
              from: { id: 'ltr_bronze', name: 'Bronze' },
              to: { id: 'ltr_silver', name: 'Silver' },
              at: at(21),
            }),
          ],
        },
      ],
    });
    expect((await read(`/customers/${REFERRER.id}/loyalty-tiers`, position)).data).toEqual([]);
    const unknown = await getJson(service.baseUrl, '/customers/cust_nobody/loyalty-tiers', position);
    expect([unknown.status, unknown.json.message]).toEqual([404, 'no customer with id or source_id cust_nobody']);
    expect((await getJson(service.baseUrl, `/customers/${encodeURIComponent('bad\u0001id')}/loyalty-tiers`)).status).toBe(400);
  });

  it('books the hand-traced card of the examples ("Jack Webhook"): published at 0, +900 added, then −50 redeemed for a reward paid in points, one entry with its POINTS_REDEMPTION', async () => {
    // A campaign of its own: camp_loyalty was deleted by an earlier test, and a deleted campaign's cards hold nothing.
    const JACKS = { campaign_id: 'camp_jack' };
    const jack = card('v_jack', 'JACK-1', 20, 0, JACKS);
    await send('voucher.published', { customer: CUSTOMER, voucher: jack }, 20);
    const given = { type: 'loyalty_card', points: 900, total: 900, balance: 900, related_object: { id: 'v_jack', type: 'voucher' } };
    await send('customer.rewarded.loyalty_points', { customer: CUSTOMER, voucher: card('v_jack', 'JACK-1', 20, 900, JACKS), balance: given }, 20);
    // customer.rewarded as the official example has it: the card after the payment, redemption.amount, balance null.
    const paid = { ...card('v_jack', 'JACK-1', 21, 850, JACKS), loyalty_card: { points: 900, balance: 850 }, redemption: { redeemed_quantity: 1, redeemed_points: 50 } };
    let position = await send('customer.rewarded', { customer: CUSTOMER, voucher: paid, balance: null, redemption: { id: 'r_jack', amount: 50, voucher: { id: 'v_jack' } } }, 21);
    const entries = async (p: number) => (await read('/loyalty-cards/v_jack/ledger?limit=10', p)).data.reverse().map((e: any) => [e.kind, e.points, e.balance_after, e.unexplained_before]);
    expect(await entries(position)).toEqual([
      ['added', 900, 900, 0],
      ['redeemed', -50, 850, 0],
    ]);
    // Its POINTS_REDEMPTION, reported a moment later by transaction.created: the same change.
    const transaction = {
      id: 'vtx_jack_pay',
      type: 'POINTS_REDEMPTION',
      voucher_id: 'v_jack',
      campaign_id: 'camp_jack',
      created_at: at(22),
      details: { balance: { type: 'loyalty_card', points: -50, total: 900, balance: 850, related_object: { id: 'v_jack', type: 'voucher' } }, redemption: { id: 'r_jack' } },
    };
    position = await send('voucher.loyalty_card.transaction.created', { voucher: paid, transaction }, 22);
    expect(await entries(position)).toEqual([
      ['added', 900, 900, 0],
      ['redeemed', -50, 850, 0],
    ]);
  });

  it('books pending points as their own ledger: added, updated, activated once whichever twin reports it; the customer twin without a transaction is pending_activated', async () => {
    const PEND = { campaign_id: 'camp_pend' };
    const snapshot = (minute: number, balance: number, pending: number) => ({ ...card('v_pend', 'PEND-1', minute, balance, PEND), loyalty_card: { points: balance, balance, pending_points: pending } });
    const entry = (points: number) => ({ id: 'lopp_shapes', voucher_id: 'v_pend', points, activates_at: at(40), order_id: 'ord_shapes' });
    const pendingBalance = (points: number, total: number) => ({ type: 'loyalty_card', points, total, related_object: { id: 'v_pend', type: 'voucher' } });
    await send('voucher.published', { customer: CUSTOMER, voucher: snapshot(23, 0, 0) }, 23);
    for (const prefix of ['', 'customer.']) {
      await send(`${prefix}voucher.loyalty_card.pending_points.added`, { customer: CUSTOMER, voucher: snapshot(24, 0, 60), pending_points: entry(60), voucher_pending_points_balance: pendingBalance(60, 60) }, 24);
      await send(`${prefix}voucher.loyalty_card.pending_points.updated`, { customer: CUSTOMER, voucher: snapshot(25, 0, 75), pending_points: entry(75), voucher_pending_points_balance: pendingBalance(15, 75) }, 25);
    }
    // The customer twin of the activation: no transaction, no balance, only the pending balance.
    let position = await send(
      'customer.voucher.loyalty_card.pending_points.activated',
      { customer: CUSTOMER, voucher: snapshot(26, 75, 0), pending_points: entry(75), voucher_pending_points_balance: pendingBalance(-75, 0) },
      26,
    );
    const entries = async (p: number) => (await read('/loyalty-cards/v_pend/ledger', p)).data.map((e: any) => [e.kind, e.points, e.balance_after, e.transaction_id]);
    expect(await entries(position)).toEqual([['pending_activated', 75, 75, null]]);
    const transaction = {
      id: 'vtx_pend_shapes',
      type: 'PENDING_POINTS_ACTIVATION',
      voucher_id: 'v_pend',
      campaign_id: 'camp_pend',
      created_at: at(26),
      details: { balance: { type: 'loyalty_card', points: 75, total: 75, balance: 75, related_object: { id: 'v_pend', type: 'voucher' } } },
    };
    position = await send('voucher.loyalty_card.pending_points.activated', { customer: CUSTOMER, voucher: snapshot(26, 75, 0), pending_points: entry(75), balance: transaction.details.balance, transaction }, 26);
    // The transaction's report replaces the derived one: one entry, the points moved once.
    expect(await entries(position)).toEqual([['pending_activated', 75, 75, 'vtx_pend_shapes']]);
    const pending = (await read('/loyalty-cards/v_pend/pending-points', position)).data.map((m: any) => [m.movement, m.points, m.pending_after, m.event_ids.length]);
    expect(pending).toEqual([
      ['activated', -75, 0, 2],
      ['updated', 15, 75, 2],
      ['added', 60, 60, 2],
    ]);
  });

  it('rebuilds every read model from the log to exactly what live projection built', async () => {
    const head = await send('customer.updated', { customer: CUSTOMER }, 30);
    expect((await getJson(service.baseUrl, '/projections', head)).status).toBe(200);
    const live = await dumpReadModels(db.pool);
    expect(live.campaigns).toHaveLength(2);
    expect(live.loyalty_tiers).toHaveLength(1);
    expect(live.voucher_holder_assignments).toHaveLength(1);
    expect(live.pending_point_movements).toHaveLength(3);
    await rebuildProjections(db.pool, rebuildTargets('all'), { batchSize: 3, fresh: true });
    expect(await dumpReadModels(db.pool)).toEqual(live);
  });
});
