import { FakeCard, FakeVoucherify, startFakeVoucherify } from '../support/fake-voucherify';
import { useLedgerService } from '../support/ledger-service';
import { startTestApp } from '../support/test-app';
import { cardAt, TestCard } from '../support/loyalty-payloads';

/*
 * What will expire: from Voucherify's point buckets once read (one points-expiration export a
 * campaign, against a fake as strict as the documented API), else from what the webhooks told
 * (each card's next expiry).
 */

const READ = 'camp_exp_read';
const TOLD = 'camp_exp_told';
const ANN: TestCard = { id: 'v_exp_a', code: 'EXP-A', campaignId: READ, campaignName: 'Expiring Club', holderId: 'cust_exp_a' };
const BOB: TestCard = { id: 'v_exp_b', code: 'EXP-B', campaignId: READ, campaignName: 'Expiring Club', holderId: 'cust_exp_b' };
const CLEO: TestCard = { id: 'v_exp_c', code: 'EXP-C', campaignId: TOLD, campaignName: 'Webhook Club', holderId: 'cust_exp_c' };

/** The month `offset` months from now (UTC), `YYYY-MM`, and a day in it. */
const month = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
};
const day = (offset: number, d = 20) => `${month(offset)}-${String(d).padStart(2, '0')}`;

const fakeCard = (card: TestCard, buckets: FakeCard['buckets']): FakeCard => ({ voucher: cardAt(card, '2024-01-01T00:00:00.000Z', 0, 0), balance: 0, transactions: [], buckets });
/** A snapshot telling the card's next expiry, as a webhook carries it. */
const told = (card: TestCard, at: string, date: string, points: number) => ({
  voucher: { ...cardAt(card, at, 500, 500), loyalty_card: { points: 500, balance: 500, next_expiration_date: date, next_expiration_points: points } },
});

describe('what will expire', () => {
  let fake: FakeVoucherify;
  beforeAll(async () => {
    fake = await startFakeVoucherify(
      new Map([
        [
          READ,
          new Map([
            [ANN.id, fakeCard(ANN, [
              { id: 'lopb_a1', status: 'ACTIVE', expires_at: day(1), points: 100 },
              { id: 'lopb_a2', status: 'ACTIVE', expires_at: day(3), points: 50 },
              { id: 'lopb_a0', status: 'EXPIRED', expires_at: day(-1), points: 70 },
            ])],
            [BOB.id, fakeCard(BOB, [{ id: 'lopb_b1', status: 'ACTIVE', expires_at: day(1, 2), points: 30 }, { id: 'lopb_b2', status: 'ACTIVE', expires_at: day(20), points: 5 }])],
          ]),
        ],
      ]),
      { rowsPerExportFile: 2 },
    );
  });
  const app = useLedgerService(() => ({
    voucherifyAppId: fake.appId,
    voucherifySecretKey: fake.secretKey,
    voucherifyApiUrl: fake.url,
    voucherifyTimeoutMs: 2000,
    voucherifyExportPollMs: 20,
    voucherifyRetries: 0,
    expiringPointsRefreshHours: 0,
  }));
  afterAll(async () => {
    await fake?.close();
  });
  const { send, get, admin } = app;
  const campaign = async (id: string) => (await get(`/reports/expiring-points?months=6`)).json.campaigns.find((c: any) => c.campaign_id === id);
  const readDone = async (id: string, after: string | null) => {
    for (let i = 0; i < 200; i++) {
      const c = (await get(`/reports/expiring-points?campaign_id=${id}`)).json.campaigns[0];
      if ((c.source === 'voucherify_export' && c.read_at !== after) || c.read_error) return c;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the buckets of ${id} were not read`);
  };

  beforeAll(async () => {
    await send('voucher.published', told(ANN, '2026-01-01T00:00:00.000Z', day(2), 40), '2026-01-01T00:00:00.000Z');
    await send('voucher.published', told(BOB, '2026-01-01T00:00:00.000Z', day(1), 10), '2026-01-01T00:00:00.000Z');
    await send('voucher.published', told(CLEO, '2026-01-02T00:00:00.000Z', day(1, 28), 25), '2026-01-02T00:00:00.000Z');
  });

  it("answers each card's next expiry from the webhooks until the buckets are read", async () => {
    const read = await campaign(READ);
    expect(read).toMatchObject({ source: 'webhooks', read_error: null, total_points: 50 });
    expect(read.months.map((m: any) => [m.month, m.points, m.cards])).toEqual([
      [month(0), 0, 0],
      [month(1), 10, 1],
      [month(2), 40, 1],
      [month(3), 0, 0],
      [month(4), 0, 0],
      [month(5), 0, 0],
    ]);
    expect(read.read_at).toBe('2026-01-01T00:00:00.000Z');
  });

  it("reads a campaign's buckets with one export, within the budget, and answers from them", async () => {
    const before = fake.requests.length;
    const started = await admin('POST', '/admin/expiring-points/refresh', { campaign_ids: [READ] });
    expect(started).toMatchObject({ status: 202, json: { campaign_ids: [READ] } });
    const read = await readDone(READ, null);
    expect(read).toMatchObject({ source: 'voucherify_export', read_error: null });
    const months = await campaign(READ);
    // Active buckets only, from today on, by the month they are due: Ann's 100 and Bob's 30 next month, Ann's 50 in three.
    expect(months.months.map((m: any) => [m.month, m.points, m.cards])).toEqual([
      [month(0), 0, 0],
      [month(1), 130, 2],
      [month(2), 0, 0],
      [month(3), 50, 1],
      [month(4), 0, 0],
      [month(5), 0, 0],
    ]);
    const calls = fake.callsByEndpoint(before);
    expect(calls['POST /v1/loyalties/{campaignId}/points-expiration/export']).toBe(1);
    // A create, its polls and its two files (the fake splits every 2 rows): one export, no call per card.
    expect(Object.keys(calls).sort()).toEqual(['GET /download/{file}', 'GET /v1/exports/{exportId}', 'POST /v1/loyalties/{campaignId}/points-expiration/export']);
    expect(fake.requests.length - before).toBeLessThanOrEqual(6);
    // The campaign no read covered still answers from the webhooks.
    expect(await campaign(TOLD)).toMatchObject({ source: 'webhooks', total_points: 25 });

    // A statement names each card's points due in the next 90 days, from the same figures.
    const until = Date.now() + 90 * 86_400_000;
    const annDue = [[day(1), 100], [day(3), 50]].filter(([d]) => Date.parse(`${d}T00:00:00Z`) < until).reduce((sum, [, p]) => sum + Number(p), 0);
    const statement = await get(`/customers/${ANN.holderId}/statement?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z`);
    expect(statement.json.cards[0].expiring_points).toMatchObject({ points: annDue, source: 'voucherify_export', read_at: read.read_at });
    const cleo = await get(`/customers/${CLEO.holderId}/statement?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z`);
    expect(cleo.json.cards[0].expiring_points).toMatchObject({ points: 25, source: 'webhooks', read_at: '2026-01-02T00:00:00.000Z' });

    const csv = await fetch(`${app.baseUrl}/reports/expiring-points?campaign_id=${READ}&months=24&format=csv`, { headers: { 'x-min-position': String(app.head()) } });
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('campaign_id,voucher_id,code,month,points,source,read_at');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      `${READ},${ANN.id},${ANN.code},${month(1)},100,voucherify_export`,
      `${READ},${ANN.id},${ANN.code},${month(3)},50,voucherify_export`,
      `${READ},${BOB.id},${BOB.code},${month(1)},30,voucherify_export`,
      `${READ},${BOB.id},${BOB.code},${month(20)},5,voucherify_export`,
    ]);
  });

  it('keeps the last good read when a read fails, and says why', async () => {
    const last = await campaign(READ);
    fake.failNext(1, 503);
    expect((await admin('POST', '/admin/expiring-points/refresh', { campaign_ids: [READ] })).status).toBe(202);
    const failed = await readDone(READ, last.read_at);
    expect(failed.read_error).toEqual(expect.any(String));
    expect(await campaign(READ)).toMatchObject({ source: 'voucherify_export', read_at: last.read_at, total_points: last.total_points });
  });

  it('reads on its own, at start and then on schedule, the campaigns whose buckets are older than EXPIRING_POINTS_REFRESH_HOURS', async () => {
    const before = fake.requests.length;
    const second = await startTestApp(app.db.url, {
      voucherifyAppId: fake.appId,
      voucherifySecretKey: fake.secretKey,
      voucherifyApiUrl: fake.url,
      voucherifyExportPollMs: 20,
      voucherifyRetries: 0,
      projector: 'off',
      expiringPointsRefreshHours: 24,
    });
    try {
      // The read campaign is fresh; the other was never read, and Voucherify does not know it (404): a failed read, said so.
      const told = await readDone(TOLD, null);
      expect(told).toMatchObject({ source: 'webhooks', total_points: 25, read_error: expect.stringContaining('404') });
      expect(fake.requests.slice(before).map((r) => r.path)).toEqual([`/v1/loyalties/${TOLD}/points-expiration/export`]);
    } finally {
      await second.close();
    }
  });

  it('adds up figures past what a bigint holds without failing (a sender states each card, up to 2^53 points)', async () => {
    const HUGE = 1100;
    for (let i = 0; i < HUGE; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, HUGE - i) }, (_, k) => {
          const card: TestCard = { id: `v_huge_${i + k}`, code: `HUGE-${i + k}`, campaignId: 'camp_exp_huge', holderId: `cust_huge_${i + k}` };
          return send('voucher.published', told(card, '2026-01-03T00:00:00.000Z', day(1), Number.MAX_SAFE_INTEGER), '2026-01-03T00:00:00.000Z');
        }),
      );
    }
    const answer = await get('/reports/expiring-points?campaign_id=camp_exp_huge&months=3');
    expect(answer.status).toBe(200);
    expect(answer.json.campaigns[0].months[1]).toMatchObject({ cards: HUGE });
    expect(answer.json.campaigns[0].months[1].points).toBeGreaterThan(9.2e18);
  }, 60_000);

  it('refuses what it cannot do with a clear answer', async () => {
    for (const bad of ['months=0', 'months=37', 'months=x', 'format=xml']) expect((await get(`/reports/expiring-points?${bad}`)).status).toBe(400);
    expect((await admin('POST', '/admin/expiring-points/refresh', { campaign_ids: 'camp' })).status).toBe(400);
    expect((await fetch(`${app.baseUrl}/admin/expiring-points/refresh`, { method: 'POST' })).status).toBe(401);
  });
});
