import { useLedgerService } from '../support/ledger-service';
import { cardAt, TestCard } from '../support/loyalty-payloads';

/*
 * A card's pending points through the service, in the shapes of docs/voucherify.md, section 9:
 * each movement reported by its voucher. webhook and its customer. twin, the activation's twin
 * with no transaction and no balance.
 */

const CARD: TestCard = { id: 'v_pend_1', code: 'PEND-1', campaignId: 'camp_pend', campaignName: 'Pending Club', holderId: 'cust_pend' };
const snapshot = (at: string, balance: number, pending: number) => ({ ...cardAt(CARD, at, balance, balance), loyalty_card: { points: balance, balance, pending_points: pending } });
const entry = (id: string, points: number) => ({ id, voucher_id: CARD.id, points, activates_at: '2024-03-20T00:00:00.000Z', order_id: `ord_${id}` });
const pendingBalance = (points: number, total: number) => ({ type: 'loyalty_card', points, total, related_object: { id: CARD.id, type: 'voucher' } });

const ADDED_1 = '2024-03-01T10:00:00.000Z';
const ADDED_2 = '2024-03-02T10:00:00.000Z';
const UPDATED_1 = '2024-03-05T10:00:00.000Z';
const CANCELLED_2 = '2024-03-10T10:00:00.000Z';
const ACTIVATED_1 = '2024-04-02T10:00:00.000Z';

const added = (at: string, id: string, points: number, total: number) => ({ voucher: snapshot(at, 0, total), pending_points: entry(id, points), voucher_pending_points_balance: pendingBalance(points, total) });
const ACTIVATION = {
  id: 'vtx_pend_act',
  type: 'PENDING_POINTS_ACTIVATION',
  voucher_id: CARD.id,
  campaign_id: CARD.campaignId,
  created_at: ACTIVATED_1,
  details: { balance: { type: 'loyalty_card', points: 120, total: 120, balance: 120, related_object: { id: CARD.id, type: 'voucher' } } },
};

describe('pending points through the service', () => {
  const app = useLedgerService();
  const { send, get } = app;
  /** Both twins of one movement, the customer. one first. */
  const twins = async (type: string, data: unknown, at: string) => {
    await send(`customer.${type}`, data, at);
    await send(type, data, at);
  };

  beforeAll(async () => {
    await send('voucher.published', { voucher: snapshot('2024-02-01T00:00:00.000Z', 0, 0) }, '2024-02-01T00:00:00.000Z');
    // Arrival order is not life order: the activation comes first, the update before the add.
    await send('voucher.loyalty_card.pending_points.activated', { voucher: snapshot(ACTIVATED_1, 120, 0), pending_points: entry('lopp_1', 120), balance: ACTIVATION.details.balance, transaction: ACTIVATION }, ACTIVATED_1);
    await send('customer.voucher.loyalty_card.pending_points.activated', { voucher: snapshot(ACTIVATED_1, 120, 0), pending_points: entry('lopp_1', 120), voucher_pending_points_balance: pendingBalance(-120, 0) }, ACTIVATED_1);
    await twins('voucher.loyalty_card.pending_points.updated', { voucher: snapshot(UPDATED_1, 0, 170), pending_points: entry('lopp_1', 120), voucher_pending_points_balance: pendingBalance(20, 170) }, UPDATED_1);
    await twins('voucher.loyalty_card.pending_points.added', added(ADDED_1, 'lopp_1', 100, 100), ADDED_1);
    await twins('voucher.loyalty_card.pending_points.added', added(ADDED_2, 'lopp_2', 50, 150), ADDED_2);
    await twins('voucher.loyalty_card.pending_points.canceled', { voucher: snapshot(CANCELLED_2, 0, 120), pending_points: entry('lopp_2', 50), voucher_pending_points_balance: pendingBalance(-50, 120) }, CANCELLED_2);
  });

  it("lists the card's pending movements once each, whichever twins reported them, newest first", async () => {
    const page = await get('/loyalty-cards/PEND-1/pending-points');
    expect(page.status).toBe(200);
    expect(page.json.data.map((m: any) => [m.movement, m.entry_id, m.points, m.pending_after, m.unexplained_before, m.event_ids.length])).toEqual([
      ['activated', 'lopp_1', -120, 0, 0, 2],
      ['cancelled', 'lopp_2', -50, 120, 0, 2],
      ['updated', 'lopp_1', 20, 170, 0, 2],
      ['added', 'lopp_2', 50, 150, 0, 2],
      ['added', 'lopp_1', 100, 100, 0, 2],
    ]);
    expect(page.json.data[0]).toMatchObject({ transaction_id: 'vtx_pend_act', activates_at: '2024-03-20T00:00:00.000Z', order_id: 'ord_lopp_1', campaign_id: 'camp_pend' });
  });

  it('moves the activated points to the card once, as pending_activated, though both twins reported it', async () => {
    const ledger = await get('/loyalty-cards/PEND-1/ledger');
    expect(ledger.json.data.map((e: any) => [e.kind, e.points, e.balance_after, e.transaction_id])).toEqual([['pending_activated', 120, 120, 'vtx_pend_act']]);
  });

  it('answers pending points as of any time, for the card and its customer', async () => {
    const pendingAt = async (at: string) => (await get(`/loyalty-cards/PEND-1?as_of=${at}`)).json.pending_points;
    // Before its first movement the card had no entry either: the ledger did not know it yet.
    expect((await get('/loyalty-cards/PEND-1?as_of=2024-02-15T00:00:00Z')).status).toBe(404);
    expect(await pendingAt('2024-03-03T00:00:00Z')).toBe(150);
    expect(await pendingAt('2024-03-06T00:00:00Z')).toBe(170);
    expect(await pendingAt('2024-03-15T00:00:00Z')).toBe(120);
    expect(await pendingAt('2024-04-03T00:00:00Z')).toBe(0);
    const customer = await get('/customers/cust_pend?as_of=2024-03-15T00:00:00Z');
    expect(customer.status).toBe(200);
    expect(JSON.stringify(customer.json)).toMatch(/"pending_points":120/);
  });

  it('reports pending points per period: opening + added + updated + cancelled + activated + unexplained = closing', async () => {
    const march = (await get('/reports/points?from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z')).json.campaigns[0];
    expect(march.pending).toEqual({ opening: 0, added: 150, updated: 20, cancelled: -50, activated: 0, unexplained: 0, written_off: 0, closing: 120 });
    const april = (await get('/reports/points?from=2024-04-01T00:00:00Z&to=2024-05-01T00:00:00Z')).json.campaigns[0];
    expect(april.pending).toEqual({ opening: 120, added: 0, updated: 0, cancelled: 0, activated: -120, unexplained: 0, written_off: 0, closing: 0 });
    expect(april.movements.pending_activated).toBe(120);
    expect(april.closing_balance).toBe(120);
    const csv = await fetch(`${app.baseUrl}/reports/points?from=2024-04-01T00:00:00Z&to=2024-05-01T00:00:00Z&format=csv`);
    const [header, row] = (await csv.text()).trim().split('\r\n');
    const fields = Object.fromEntries(header.split(',').map((name, i) => [name, row.split(',')[i]]));
    expect(fields).toMatchObject({ pending_opening: '120', pending_activated_out: '-120', pending_closing: '0', pending_activated: '120' });
  });

  it("writes a deleted card's pending points off at its deletion, and counts its later movements nowhere", async () => {
    const GONE: TestCard = { ...CARD, id: 'v_pend_2', code: 'PEND-2', holderId: 'cust_pend_2' };
    const gone = (at: string, pending: number) => ({ ...cardAt(GONE, at, 0, 0), loyalty_card: { points: 0, balance: 0, pending_points: pending } });
    const pendingOf = (id: string, points: number, total: number) => ({
      pending_points: { id, voucher_id: GONE.id, points, activates_at: '2024-06-01T00:00:00.000Z' },
      voucher_pending_points_balance: { type: 'loyalty_card', points, total, related_object: { id: GONE.id, type: 'voucher' } },
    });
    await send('voucher.loyalty_card.pending_points.added', { voucher: gone('2024-05-02T10:00:00.000Z', 80), ...pendingOf('lopp_g1', 80, 80) }, '2024-05-02T10:00:00.000Z');
    await send('voucher.deleted', { voucher: gone('2024-05-10T10:00:00.000Z', 80) }, '2024-05-10T10:00:00.000Z');
    // A late movement of the deleted card: kept in its pending ledger, counted nowhere.
    await send('voucher.loyalty_card.pending_points.added', { voucher: gone('2024-05-12T10:00:00.000Z', 110), ...pendingOf('lopp_g2', 30, 110) }, '2024-05-12T10:00:00.000Z');

    expect((await get('/loyalty-cards/PEND-2/pending-points')).json.data.map((m: any) => [m.entry_id, m.pending_after])).toEqual([['lopp_g2', 110], ['lopp_g1', 80]]);
    const may = (await get('/reports/points?from=2024-05-01T00:00:00Z&to=2024-06-01T00:00:00Z')).json.campaigns[0];
    expect(may.pending).toEqual({ opening: 0, added: 80, updated: 0, cancelled: 0, activated: 0, unexplained: 0, written_off: -80, closing: 0 });
    const june = (await get('/reports/points?from=2024-06-01T00:00:00Z&to=2024-07-01T00:00:00Z')).json.campaigns[0];
    expect(june.pending).toMatchObject({ opening: 0, added: 0, written_off: 0, closing: 0 });
    const pendingAt = async (at: string) => (await get(`/loyalty-cards/PEND-2?as_of=${at}`)).json.pending_points;
    expect(await pendingAt('2024-05-05T00:00:00Z')).toBe(80);
    expect(await pendingAt('2024-05-11T00:00:00Z')).toBe(0);
    expect(await pendingAt('2024-05-13T00:00:00Z')).toBe(0);
  });
});
