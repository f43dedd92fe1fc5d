import fc from 'fast-check';
import { rebuildProjection } from '../../libs/event-store/src';
import { rebuildTargets } from '../../libs/projections/src';
import { expectedLedger, LedgerTruth, ledgerTruthArbitrary, trueBalanceAt, Webhook } from '../support/ledger-truth';
import { getJson } from '../support/read-api';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';

// The richest of a few samples (fast-check starts small): several cards with long histories.
const truth: LedgerTruth = fc
  .sample(ledgerTruthArbitrary(6, 14), { numRuns: 40, seed: 2024 })
  .reduce((a, b) => (b.webhooks.length > a.webhooks.length ? b : a));

/** A deterministic pseudo-random sequence, so a failure replays exactly. */
function randoms(seed: number) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Some webhooks dropped (never delivered), the rest shuffled, a third of them delivered twice. */
function deliveries(webhooks: Webhook[], seed: number) {
  const random = randoms(seed);
  const kept = webhooks.filter(() => random() > 0.15);
  const order = [...kept, ...kept.filter(() => random() < 0.33)];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return { order, delivered: new Set(kept.map((w) => w.eventId)) };
}

describe('the ledger through the service, from a generated truth delivered shuffled, twice, and with drops', () => {
  let db: TestDatabase;
  let service: TestApp;
  let head = 0;
  const { order, delivered } = deliveries(truth.webhooks, 7);

  beforeAll(async () => {
    db = await createTestDatabase();
    // Small batches: each card's chain is rebuilt window by window, many times over.
    service = await startTestApp(db.url, { projectorBatchSize: 7, projectorPollMs: 50 });
    for (const w of order) {
      const body = JSON.stringify(envelope(w.type, w.data, { eventId: w.eventId, createdAt: w.createdAt, envelopeType: w.envelopeType }));
      const answer = await postWebhook(service.baseUrl, body);
      expect([200, 202]).toContain(answer.status);
      head = Math.max(head, answer.json.position);
    }
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const get = (path: string) => getJson(service.baseUrl, path, head);
  const ledgerOf = async (voucherId: string) => (await get(`/loyalty-cards/${voucherId}/ledger?limit=500`)).json.data.reverse();

  it('has one entry per delivered transaction and gaps exactly where a change went missing', async () => {
    expect(truth.cards.length).toBeGreaterThan(2);
    expect(delivered.size).toBeLessThan(truth.webhooks.length); // something was dropped
    let gapsSeen = 0;
    for (const card of truth.cards) {
      const entries = await ledgerOf(card.voucherId);
      expect(
        entries.map((e: any) => ({
          key: e.derived ? `derived@${e.occurred_at}` : e.transaction_id,
          points: e.points,
          balanceAfter: e.balance_after,
          unexplainedBefore: e.unexplained_before,
        })),
      ).toEqual(expectedLedger(card, delivered));
      const gaps = (await get(`/loyalty-cards/${card.voucherId}/gaps`)).json.data;
      expect(gaps.map((g: any) => [g.before_entry, g.points])).toEqual(
        entries.filter((e: any) => e.unexplained_before !== 0).map((e: any) => [e.transaction_id ?? `derived:${e.event_ids[0]}`, e.unexplained_before]),
      );
      gapsSeen += gaps.length;
    }
    expect((await get('/gaps?limit=500')).json.data).toHaveLength(gapsSeen);
  });

  it('answers as of any time with the true balance, on cards nothing was dropped from', async () => {
    const random = randoms(11);
    const whole = truth.cards.filter((c) => c.items.every((i) => ('webhooks' in i ? i.webhooks.some((w) => delivered.has(w.eventId)) : delivered.has(i.webhook.eventId))));
    expect(whole.length).toBeGreaterThan(0);
    for (const card of whole) {
      const first = Date.parse(card.items[0].at);
      const last = Date.parse(card.items[card.items.length - 1].at);
      for (let k = 0; k < 6; k++) {
        const at = Math.round(first - 3_600_000 + random() * (last - first + 7_200_000));
        const answer = await get(`/loyalty-cards/${card.voucherId}?as_of=${new Date(at).toISOString()}`);
        const truthThen = trueBalanceAt(card, at);
        if (truthThen === null) expect(answer.status).toBe(404);
        else expect([answer.status, answer.json.balance]).toEqual([200, truthThen]);
      }
    }
  });

  it('reports any period with opening + movements = closing, per campaign', async () => {
    const random = randoms(5);
    const start = Date.UTC(2024, 0, 1) - 3_600_000; // the histories run from 2024-01-01 for up to 15 hours
    for (let k = 0; k < 5; k++) {
      const from = start + random() * 10 * 3_600_000;
      const to = from + random() * 10 * 3_600_000;
      const report = (await get(`/reports/points?from=${new Date(from).toISOString()}&to=${new Date(to + 1).toISOString()}`)).json;
      expect(report.campaigns.length).toBeGreaterThan(0);
      for (const c of report.campaigns) {
        const moved = Object.values(c.movements as Record<string, number>).reduce((a, b) => a + b, 0);
        expect(c.opening_balance + moved).toBe(c.closing_balance);
      }
    }
  });

  it('is rebuilt by replay to exactly the same rows', async () => {
    const live = await dumpReadModels(db.pool);
    expect(live.ledger_entries.length).toBeGreaterThan(20);
    const [target] = rebuildTargets(['ledger']);
    await rebuildProjection(db.pool, target, { batchSize: 5, fresh: true });
    expect(await dumpReadModels(db.pool)).toEqual(live);
    // Again, writing after every batch: windows loaded back, campaign deletions found in the tables.
    await rebuildProjection(db.pool, target, { batchSize: 5, fresh: true, maxMemoryMb: 0 });
    expect(await dumpReadModels(db.pool)).toEqual(live);
  });
});
