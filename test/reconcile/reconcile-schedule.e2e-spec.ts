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

describe('the scheduled reconciliation (--gaps-only --backfill), with two instances', () => {
  let db: TestDatabase;
  let fake: FakeVoucherify;
  let a: TestApp;
  let b: TestApp;
  let head = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeVoucherify(cardsFromTruth(truth));
    const config = { projectorPollMs: 50, voucherifyAppId: fake.appId, voucherifySecretKey: fake.secretKey, voucherifyApiUrl: fake.url };
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
    const runs = (await db.pool.query(`SELECT trigger, state, options, summary FROM reconciliation_runs`)).rows;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', state: 'succeeded', options: { gaps_only: true, backfill: true }, summary: { cards_differing: 0 } });
    expect(runs[0].summary.transactions_backfilled).toBe(new Set(gaps.map((g: any) => g.voucher_id)).size);
    const last = Number((await db.pool.query(`SELECT max(global_position) AS p FROM events`)).rows[0].p);
    expect((await getJson(a.baseUrl, '/gaps?limit=500', last)).json.data).toEqual([]);
  }, 120_000);

  it('does nothing (and writes no run) when no gap is open', async () => {
    await a.app.get(ReconciliationService).scheduled();
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM reconciliation_runs`)).rows[0].n).toBe(1);
  });
});
