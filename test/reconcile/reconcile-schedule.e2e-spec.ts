import fc from 'fast-check';
import { ReconciliationService } from '../../apps/ledger/src/reconciliation/reconciliation.service';
import { cardsFromTruth, FakeVoucherify, startFakeVoucherify } from '../support/fake-voucherify';
import { LedgerTruth, ledgerTruthArbitrary } from '../support/ledger-truth';
import { getJson } from '../support/read-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';

const truth: LedgerTruth = fc
  .sample(ledgerTruthArbitrary(4, 10), { numRuns: 30, seed: 77 })
  .reduce((a, b) => (b.webhooks.length > a.webhooks.length ? b : a));
// A transaction in the middle of each card's history goes missing: each card then has a gap.
const withheld = new Set(
  truth.cards.flatMap((card) => {
    const txs = card.items.filter((i) => i.kind === 'tx');
    return txs.length >= 3 ? [txs[1].id] : [];
  }),
);

describe('the scheduled reconciliation (--backfill, since the last scheduled run), with two instances', () => {
  let db: TestDatabase;
  let fake: FakeVoucherify;
  let a: TestApp;
  let b: TestApp;
  let head = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeVoucherify(cardsFromTruth(truth));
    const config = { projectorPollMs: 50, voucherifyAppId: fake.appId, voucherifySecretKey: fake.secretKey, voucherifyApiUrl: fake.url, voucherifyExportPollMs: 50 };
    a = await startTestApp(db.url, config);
    b = await startTestApp(db.url, config);
    for (const w of truth.webhooks) {
      const tx = (w.data as any).transaction;
      if (tx && withheld.has(tx.id)) continue;
      const answer = await postWebhook(a.baseUrl, JSON.stringify(envelope(w.type, w.data, { eventId: w.eventId, createdAt: w.createdAt, envelopeType: w.envelopeType })));
      head = Math.max(head, answer.json.position);
    }
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await db?.drop();
  });

  it('runs in one instance at a time and closes the gaps', async () => {
    const gaps = (await getJson(a.baseUrl, '/gaps?limit=500', head)).json.data;
    expect(gaps.length).toBeGreaterThan(0);
    fake.setDelay(200); // long enough for both ticks to overlap
    await Promise.all([a.app.get(ReconciliationService).scheduled(), b.app.get(ReconciliationService).scheduled()]);
    fake.setDelay(0);
    const runs = (await db.pool.query(`SELECT trigger, state, options, summary, plan FROM reconciliation_runs`)).rows;
    expect(runs).toHaveLength(1);
    // The first scheduled run reads every campaign whole, through its exports.
    expect(runs[0]).toMatchObject({ trigger: 'schedule', state: 'succeeded', options: { gaps_only: false, since: null, backfill: true }, summary: { cards_differing: 0 } });
    expect(runs[0].plan.campaigns.map((c: any) => c.source)).toEqual(runs[0].plan.campaigns.map(() => 'exports'));
    expect(runs[0].summary.transactions_backfilled).toBe(new Set(gaps.map((g: any) => g.voucher_id)).size);
    const last = Number((await db.pool.query(`SELECT max(global_position) AS p FROM events`)).rows[0].p);
    expect((await getJson(a.baseUrl, '/gaps?limit=500', last)).json.data).toEqual([]);
  }, 120_000);

  it('reads only since the last scheduled run the next time, through the transactions list, and appends nothing', async () => {
    const first = (await db.pool.query(`SELECT started_at FROM reconciliation_runs`)).rows[0].started_at as Date;
    const events = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM events`)).rows[0].n;
    const before = await events();
    const from = fake.requests.length;
    await a.app.get(ReconciliationService).scheduled();
    const runs = (await db.pool.query(`SELECT options, plan, calls, summary, state FROM reconciliation_runs ORDER BY started_at`)).rows;
    expect(runs).toHaveLength(2);
    expect(runs[1].state).toBe('succeeded');
    expect(Date.parse(runs[1].options.since)).toBe(first.getTime() - 10 * 60_000);
    expect(runs[1].plan.campaigns.map((c: any) => c.source)).toEqual(runs[1].plan.campaigns.map(() => 'transactions_list'));
    // Nothing happened since: one page per campaign, nothing per card.
    expect(fake.callsByEndpoint(from)).toEqual({ 'GET /v1/loyalties/{campaignId}/transactions': runs[1].plan.campaigns.length });
    expect(runs[1].calls.spent).toBe(runs[1].plan.campaigns.length);
    expect(runs[1].summary).toMatchObject({ transactions_backfilled: 0, cards_differing: 0 });
    expect(await events()).toBe(before);
  });
});
