import { rebuildProjections } from '../../libs/event-store/src';
import { rebuildTargets } from '../../libs/projections/src';
import { getJson } from '../support/read-api';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook, uniqueId } from '../support/voucherify';

const SECRET = 'whsec-hostile-values-0123456789';

/**
 * Validly signed webhooks carrying the values an attacker probed the service with: times in year
 * 0, 10000 and 9999-12-31, and points no JavaScript number holds exactly. Source times are data,
 * not authority; amounts are never silently 0 or rounded; nothing is ever parked.
 */
describe('hostile values in signed webhooks', () => {
  let db: TestDatabase;
  let service: TestApp;
  let head = 0;
  const customer = uniqueId('cust_hostile_');
  const pointsCustomer = uniqueId('cust_points_');
  const frozenCard = uniqueId('v_frozen_');
  const yearZeroCard = uniqueId('v_year0_');
  const year10000Card = uniqueId('v_year10000_');
  const redemption = uniqueId('rewr_hostile_');

  /** Posts a signed webhook; `rawNumbers` replaces each quoted placeholder with number text JSON.stringify cannot write. */
  async function send(type: string, data: Record<string, unknown>, createdAt?: string, rawNumbers: Record<string, string> = {}) {
    let body = JSON.stringify(envelope(type, data, { createdAt }));
    for (const [placeholder, text] of Object.entries(rawNumbers)) body = body.split(JSON.stringify(placeholder)).join(text);
    const response = await postWebhook(service.baseUrl, body, { secret: SECRET });
    expect([type, response.status]).toEqual([type, 202]);
    head = Math.max(head, response.json.position);
    return response.json.position as number;
  }

  const card = (id: string, holder: string, extra: Record<string, unknown>) => ({
    id,
    code: id.toUpperCase(),
    type: 'LOYALTY_CARD',
    campaign_id: 'camp_hostile',
    holder_id: holder,
    ...extra,
  });

  const read = (path: string) => getJson(service.baseUrl, path, head);

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], projectorPollMs: 50 });

    // A profile and a card snapshot dated 9999-12-31: on the old code nothing was ever newer.
    await send('customer.updated', { customer: { id: customer, name: 'Mallory', updated_at: '9999-12-31T23:59:59.999Z' } });
    await send('voucher.loyalty_card.points_added', {
      voucher: card(frozenCard, customer, { updated_at: '9999-12-31T23:59:59Z', loyalty_card: { points: 500, balance: 500 } }),
    });
    // The honest snapshot after it, dated when it was made (after the frozen one was received).
    await send('voucher.loyalty_card.points_added', {
      voucher: card(frozenCard, customer, { updated_at: new Date().toISOString(), loyalty_card: { points: 120, balance: 120 } }),
    });

    // Event times in year 0 and year 10000, no other time given: each read model orders by the event time.
    for (const [id, createdAt] of [
      [yearZeroCard, '0000-01-01T00:00:00Z'],
      [year10000Card, '9999-12-31T24:00:00Z'],
    ]) {
      await send(
        'voucher.published',
        { voucher: card(id, customer, { loyalty_card: { points: 10, balance: 10 } }), publication: { id: uniqueId('pub_'), customer_id: customer }, customer: { id: customer } },
        createdAt,
      );
    }
    await send(
      'customer.reward_redemptions.completed',
      { reward_redemption: { id: redemption, customer_id: customer, created_at: '+010000-01-01T00:00:00.000Z' }, customer: { id: customer } },
      '0000-01-01T00:00:00Z',
    );

    // Points no safe integer holds, one card each.
    const hostilePoints: Record<string, string> = {
      two_to_64_plus_1: '18446744073709551617',
      e400: '1e400',
      two_to_53_plus_1: '9007199254740993',
      fraction: '3.7',
    };
    for (const [name, text] of Object.entries(hostilePoints)) {
      await send(
        'voucher.loyalty_card.points_added',
        { voucher: card(`v_${name}_${pointsCustomer}`, pointsCustomer, { updated_at: '2024-05-13T10:00:00Z', loyalty_card: { points: '@points', balance: '@points' } }) },
        undefined,
        { '@points': text },
      );
    }
    await send('voucher.loyalty_card.points_added', {
      voucher: card(`v_text_${pointsCustomer}`, pointsCustomer, { updated_at: '2024-05-13T10:00:00Z', loyalty_card: { points: '12abc', balance: '12abc' } }),
    });
    await send('voucher.loyalty_card.points_added', {
      voucher: card(`v_fine_${pointsCustomer}`, pointsCustomer, { updated_at: '2024-05-13T10:00:00Z', loyalty_card: { points: 40, balance: 40 } }),
    });
    expect((await read(`/customers/${customer}`)).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('parks no event in any projection', async () => {
    const { json } = await read('/projections');
    expect(json.data.map((p: any) => [p.name, p.parked_events, p.events_behind])).toEqual(json.data.map((p: any) => [p.name, 0, 0]));
    expect((await db.pool.query('SELECT projection, event_id, error FROM projection_dead_letters')).rows).toEqual([]);
  });

  it('lets the later honest snapshot win over one dated 9999-12-31, and flags the one it replaced', async () => {
    const cards = (await read(`/customers/${customer}/loyalty-cards`)).json.data;
    expect(cards.find((c: any) => c.voucher_id === frozenCard)).toMatchObject({ points: 120, balance: 120, source_time_untrusted: false, points_unreadable: false });
    const history = (await read(`/customers/${customer}/points-history?voucher_id=${frozenCard}`)).json.data;
    expect(history.map((e: any) => [e.balance_after, e.delta, e.source_time_untrusted])).toEqual([
      [120, -380, false],
      [500, 500, true],
    ]);
    expect(Date.parse(history[1].occurred_at)).toBeLessThan(Date.now());
  });

  it('orders by the received time where a time was in year 0, 10000 or 9999-12-31, and says so', async () => {
    const profile = (await read(`/customers/${customer}`)).json;
    expect(profile).toMatchObject({ name: 'Mallory', source_time_untrusted: true });
    expect(profile.loyalty).toEqual({ points: 140, balance: 140, redeemed_points: 0, pending_points: 0, points_unreadable: false, cards: 3 });

    const cards = (await read(`/customers/${customer}/loyalty-cards`)).json.data;
    for (const id of [yearZeroCard, year10000Card]) {
      const found = cards.find((c: any) => c.voucher_id === id);
      expect(found).toMatchObject({ points: 10, source_time_untrusted: true });
      expect(Date.parse(found.updated_at)).toBeLessThanOrEqual(Date.now());
    }
    const vouchers = (await read(`/customers/${customer}/vouchers`)).json.data;
    for (const id of [yearZeroCard, year10000Card]) {
      expect(vouchers.find((v: any) => v.voucher_id === id)).toMatchObject({ acquired_via: 'publication', source_time_untrusted: true });
    }
    const rewarded = (await read(`/reward-redemptions/${redemption}`)).json;
    expect(rewarded).toMatchObject({ state: 'COMPLETED', source_time_untrusted: true });
    expect(rewarded.transitions).toEqual([expect.objectContaining({ to: 'COMPLETED', applied: true, at_untrusted: true })]);
    expect(Date.parse(rewarded.created_at)).toBeLessThanOrEqual(Date.now());
  });

  it('keeps points no safe integer holds as unreadable: null and flagged, never 0 or rounded', async () => {
    const cards = (await read(`/customers/${pointsCustomer}/loyalty-cards`)).json.data;
    expect(cards).toHaveLength(6);
    for (const found of cards) {
      if (found.voucher_id.startsWith('v_fine_')) expect(found).toMatchObject({ points: 40, balance: 40, points_unreadable: false });
      else expect([found.voucher_id, found.points, found.balance, found.points_unreadable]).toEqual([found.voucher_id, null, null, true]);
    }
    const history = (await read(`/customers/${pointsCustomer}/points-history`)).json.data;
    expect(history).toHaveLength(6);
    for (const entry of history.filter((e: any) => !e.voucher_id.startsWith('v_fine_'))) {
      expect([entry.voucher_id, entry.delta, entry.balance_after, entry.points_unreadable]).toEqual([entry.voucher_id, null, null, true]);
    }
    const voucher = (await read(`/vouchers/v_fraction_${pointsCustomer}`)).json;
    expect(voucher.loyalty_card).toEqual({ points: null, balance: null, redeemed_points: 0, pending_points: 0, points_unreadable: true });
  });

  it('adds no unreadable amount into the customer totals', async () => {
    const { json } = await read(`/customers/${pointsCustomer}`);
    expect(json.loyalty).toEqual({ points: null, balance: null, redeemed_points: 0, pending_points: 0, points_unreadable: true, cards: 6 });
  });

  it('rebuilds to exactly the rows live projection built', async () => {
    const live = await dumpReadModels(db.pool);
    await rebuildProjections(db.pool, rebuildTargets('all'), { batchSize: 3 });
    expect(await dumpReadModels(db.pool)).toEqual(live);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM projection_dead_letters')).rows[0].n).toBe(0);
  });
});
