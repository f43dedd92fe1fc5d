import { useLedgerService } from '../support/ledger-service';
import { cardAt, cardTransaction, TestCard } from '../support/loyalty-payloads';

/*
 * The worked example of docs/deferred-revenue.md, through the service: the same numbers, to the
 * cent, across a change of the expected share on 1 July.
 */

const CAMPAIGN = 'camp_rev';
const ANN: TestCard = { id: 'v_rev_a', code: 'REV-A', campaignId: CAMPAIGN, campaignName: 'Revenue Club', holderId: 'cust_rev_a' };
const BOB: TestCard = { id: 'v_rev_b', code: 'REV-B', campaignId: CAMPAIGN, campaignName: 'Revenue Club', holderId: 'cust_rev_b' };

/** [card, transaction id, type, points, balance after, time] in the order of the worked example. */
const HISTORY: [TestCard, string, string, number, number, string][] = [
  [ANN, 'vtx_rev_1', 'POINTS_ACCRUAL', 10_000, 10_000, '2024-01-10T10:00:00.000Z'],
  [ANN, 'vtx_rev_2', 'POINTS_REDEMPTION', -2_000, 8_000, '2024-01-20T10:00:00.000Z'],
  [BOB, 'vtx_rev_3', 'POINTS_ACCRUAL', 20_000, 20_000, '2024-03-05T10:00:00.000Z'],
  [BOB, 'vtx_rev_4', 'POINTS_REDEMPTION', -10_000, 10_000, '2024-05-15T10:00:00.000Z'],
  [ANN, 'vtx_rev_5', 'POINTS_ACCRUAL', 2_000, 10_000, '2024-07-10T10:00:00.000Z'],
  [ANN, 'vtx_rev_6', 'POINTS_REDEMPTION', -1_000, 9_000, '2024-07-20T10:00:00.000Z'],
];

describe('deferred revenue (IFRS 15, cumulative method)', () => {
  const app = useLedgerService();
  const { send, get, admin } = app;
  const put = (path: string, body: unknown) => admin('PUT', path, body);

  beforeAll(async () => {
    for (const [card, id, type, points, balance, at] of HISTORY) await sendTransaction(card, id, type, points, balance, at);
    // Ann's oldest 500 points were due on 30 September; Voucherify's job took them off the next morning.
    const expiry = cardTransaction(ANN, 'vtx_rev_7', 'POINTS_EXPIRATION', -500, 8_500, '2024-10-01T00:02:00.000Z');
    await send('voucher.loyalty_card.points_expired', { voucher: cardAt(ANN, expiry.created_at, 12_000, 8_500), transaction: expiry, buckets: [{ id: 'lopb_rev', expires_at: '2024-09-30', total_points: 500 }] }, expiry.created_at);
  });

  const sendTransaction = (card: TestCard, id: string, type: string, points: number, balance: number, at: string) =>
    send('voucher.loyalty_card.transaction.created', { voucher: cardAt(card, at, 0, balance), transaction: cardTransaction(card, id, type, points, balance, at) }, at);
  const revenue = async (from: string, to: string) => {
    const report = await get(`/reports/points?from=${from}T00:00:00Z&to=${to}T00:00:00Z&campaign_id=${CAMPAIGN}`);
    expect(report.status).toBe(200);
    return report.json.campaigns[0].deferred_revenue;
  };

  it('refuses an estimate that is not one, and stores nothing', async () => {
    for (const bad of [
      { value_per_point: '0.01', expected_redemption_share: '1.5', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' },
      { value_per_point: '-0.01', expected_redemption_share: '0.8', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' },
      { value_per_point: 0.01, expected_redemption_share: '0.8', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' },
      { value_per_point: '0.01', expected_redemption_share: '0.8', currency: 'euro', effective_from: '2024-01-01T00:00:00Z' },
      { value_per_point: '0.01', expected_redemption_share: '0.8', currency: 'EUR' },
    ]) {
      expect((await put(`/admin/campaigns/${CAMPAIGN}/revenue-estimate`, bad)).status).toBe(400);
    }
    expect((await revenue('2024-01-01', '2024-07-01'))).toBeNull();
    const unauthorised = await fetch(`${app.baseUrl}/admin/campaigns/${CAMPAIGN}/revenue-estimate`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauthorised.status).toBe(401);
  });

  it('reproduces the worked example to the cent, and catches a changed estimate up in its period without restating the one before', async () => {
    expect((await put(`/admin/campaigns/${CAMPAIGN}/revenue-estimate`, { value_per_point: '0.01', expected_redemption_share: '0.80', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' })).status).toBe(200);

    // January: 10,000 issued, 2,000 redeemed of the 8,000 expected.
    const january = await revenue('2024-01-01', '2024-02-01');
    expect(january.opening).toBeNull();
    expect(january.closing).toMatchObject({ points_issued: 10_000, points_redeemed: 2_000, allocated_value: '100.00', recognised_to_date: '25.00', deferred: '75.00' });
    expect(Number(january.closing.points_expected_to_be_redeemed)).toBe(8_000);
    expect(january.recognised_in_period).toBe('25.00');

    // The first half: 30,000 issued, 12,000 redeemed of 24,000 expected.
    const firstHalf = await revenue('2024-01-01', '2024-07-01');
    expect(firstHalf).toMatchObject({ currency: 'EUR', recognised_in_period: '150.00' });
    expect(firstHalf.closing).toMatchObject({ points_issued: 30_000, points_redeemed: 12_000, allocated_value: '300.00', recognised_to_date: '150.00', deferred: '150.00' });
    const before = JSON.stringify(await get('/reports/points?from=2024-01-01T00:00:00Z&to=2024-07-01T00:00:00Z').then((r) => r.json));

    // From 1 July the shop expects 60% to be redeemed.
    expect((await put(`/admin/campaigns/${CAMPAIGN}/revenue-estimate`, { value_per_point: '0.01', expected_redemption_share: '0.60', currency: 'EUR', effective_from: '2024-07-01T00:00:00Z' })).status).toBe(200);
    const july = await revenue('2024-07-01', '2024-08-01');
    expect(july.opening).toMatchObject({ expected_redemption_share: '0.80', recognised_to_date: '150.00', deferred: '150.00' });
    expect(july.closing).toMatchObject({ expected_redemption_share: '0.60', points_issued: 32_000, points_redeemed: 13_000, allocated_value: '320.00', recognised_to_date: '216.67', deferred: '103.33' });
    expect(Number(july.closing.points_expected_to_be_redeemed)).toBe(19_200);
    expect(july.recognised_in_period).toBe('66.67');
    // The first half is not restated.
    expect(JSON.stringify(await get('/reports/points?from=2024-01-01T00:00:00Z&to=2024-07-01T00:00:00Z').then((r) => r.json))).toBe(before);
    // The year so far is the sum of its parts, to the cent.
    expect((await revenue('2024-01-01', '2024-08-01')).recognised_in_period).toBe('216.67');

    const csv = await fetch(`${app.baseUrl}/reports/points?from=2024-07-01T00:00:00Z&to=2024-08-01T00:00:00Z&campaign_id=${CAMPAIGN}&format=csv`, { headers: { 'x-min-position': String(app.head()) } });
    const [header, row] = (await csv.text()).trimEnd().split('\r\n');
    const fields = Object.fromEntries(header.split(',').map((name, i) => [name, row.split(',')[i]]));
    expect(fields).toMatchObject({
      revenue_currency: 'EUR',
      expected_redemption_share: '0.60',
      allocated_value: '320.00',
      recognised_to_date_opening: '150.00',
      recognised_to_date_closing: '216.67',
      recognised_in_period: '66.67',
      deferred_revenue_opening: '150.00',
      deferred_revenue_closing: '103.33',
    });
  });

  it('rounds an exact half cent away from zero', async () => {
    const HALF: TestCard = { id: 'v_rev_half', code: 'REV-HALF', campaignId: 'camp_half', holderId: 'cust_rev_half' };
    await sendTransaction(HALF, 'vtx_half_1', 'POINTS_ACCRUAL', 9, 9, '2024-01-10T10:00:00.000Z');
    await sendTransaction(HALF, 'vtx_half_2', 'POINTS_REDEMPTION', -3, 6, '2024-01-11T10:00:00.000Z');
    expect((await put('/admin/campaigns/camp_half/revenue-estimate', { value_per_point: '0.005', expected_redemption_share: '1', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' })).status).toBe(200);
    const report = await get('/reports/points?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z&campaign_id=camp_half');
    // 9 × 0.005 = 0.045 allocated, of which 3 ÷ 9 recognised: 0.015 exactly, so 0.02; 0.045 allocated rounds to 0.05.
    expect(report.json.campaigns[0].deferred_revenue.closing).toMatchObject({ allocated_value: '0.05', recognised_to_date: '0.02', deferred: '0.03' });
  });

  it('shows, per issue month, the shares redeemed and expired since, oldest points first', async () => {
    const triangle = await get(`/reports/redemption-triangle?campaign_id=${CAMPAIGN}&from=2024-01&to=2024-10`);
    expect(triangle.status).toBe(200);
    expect(triangle.json).toMatchObject({ campaign_id: CAMPAIGN, from: '2024-01', to: '2024-10', estimate: { expected_redemption_share: '0.60' } });
    const row = (month: string) => triangle.json.rows.find((r: any) => r.issue_month === month);
    const cell = (month: string, at: string) => row(month).cells.find((c: any) => c.month === at);
    expect(row('2024-01').points_issued).toBe(10_000);
    expect(cell('2024-01', '2024-01')).toEqual({ month: '2024-01', redeemed_share: 0.2, expired_share: 0 });
    // Ann's July redemption spent her January points, not the July ones.
    expect(cell('2024-01', '2024-07')).toEqual({ month: '2024-07', redeemed_share: 0.3, expired_share: 0 });
    // The expiry counts in September, when it was due, not in October when it was booked.
    expect(cell('2024-01', '2024-09')).toEqual({ month: '2024-09', redeemed_share: 0.3, expired_share: 0.05 });
    expect(cell('2024-03', '2024-05')).toEqual({ month: '2024-05', redeemed_share: 0.5, expired_share: 0 });
    expect(row('2024-07')).toMatchObject({ points_issued: 2_000 });
    expect(cell('2024-07', '2024-10')).toEqual({ month: '2024-10', redeemed_share: 0, expired_share: 0 });
    expect(row('2024-02')).toMatchObject({ points_issued: 0 });
    expect(row('2024-01').cells).toHaveLength(10);
    // Ending with September: the expiry due on its last day counts, though the job booked it in October.
    const toSeptember = await get(`/reports/redemption-triangle?campaign_id=${CAMPAIGN}&from=2024-01&to=2024-09`);
    expect(toSeptember.json.rows[0].cells.at(-1)).toEqual({ month: '2024-09', redeemed_share: 0.3, expired_share: 0.05 });

    expect((await get(`/reports/redemption-triangle?campaign_id=${CAMPAIGN}&from=2024-05&to=2024-01`)).status).toBe(400);
    expect((await get(`/reports/redemption-triangle?campaign_id=${CAMPAIGN}&from=2020-01&to=2024-01`)).status).toBe(400);
    expect((await get(`/reports/redemption-triangle?campaign_id=${CAMPAIGN}&from=2024-13`)).status).toBe(400);
    expect((await get(`/reports/redemption-triangle`)).status).toBe(400);
  });
});
