import { CommandBus } from '@nestjs/cqrs';
import { IngestCommand } from '../../apps/ledger/src/ingest/ingest.command';
import { runCli } from '../support/cli';
import { FakeCard, FakeVoucherify, startFakeVoucherify } from '../support/fake-voucherify';
import { getJson } from '../support/read-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope } from '../support/voucherify';

/**
 * A campaign of 20,000 cards against the strict fake at Business's 100 calls a minute. Every card
 * earned once in January; 50 of them earned again on 1 June and those 50 transactions never reached
 * the ledger (the card's newest change, so no gap shows them); 450 other cards earned that day too:
 * 500 transactions in the day.
 */
const CAMPAIGN = 'camp_scale';
const CARDS = 20_000;
const WITHHELD = 50;
const IN_THE_DAY = 450;
const DAY = '2024-06-01T00:00:00.000Z';

interface Tx {
  id: string;
  voucherId: string;
  at: string;
  points: number;
  after: number;
}

function buildTruth() {
  const cards: { voucherId: string; code: string; customerId: string; txs: Tx[] }[] = [];
  for (let i = 0; i < CARDS; i++) {
    const voucherId = `v_scale_${String(i).padStart(5, '0')}`;
    const txs: Tx[] = [{ id: `vtx_scale_${i}_a`, voucherId, at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), points: 100 + (i % 7), after: 100 + (i % 7) }];
    const second = i < WITHHELD || i >= CARDS - IN_THE_DAY;
    if (second) txs.push({ id: `vtx_scale_${i}_b`, voucherId, at: new Date(Date.parse(DAY) + 3_600_000 + i * 1000).toISOString(), points: 40, after: txs[0].after + 40 });
    cards.push({ voucherId, code: `SCALE-${i}`, customerId: `cust_scale_${i}`, txs });
  }
  return cards;
}

const truth = buildTruth();
const withheld = new Set(truth.slice(0, WITHHELD).map((c) => c.txs[1].id));

const voucherOf = (card: (typeof truth)[number], balance: number, at: string) => ({
  id: card.voucherId,
  code: card.code,
  type: 'LOYALTY_CARD',
  campaign: 'Scale',
  campaign_id: CAMPAIGN,
  holder_id: card.customerId,
  updated_at: at,
  loyalty_card: { points: balance, balance, expired_points: 3, pending_points: 2 },
});
const transactionOf = (tx: Tx) => ({
  id: tx.id,
  type: 'POINTS_ACCRUAL',
  voucher_id: tx.voucherId,
  campaign_id: CAMPAIGN,
  created_at: tx.at,
  source_id: null,
  source: null,
  reason: null,
  related_transaction_id: null,
  details: { balance: { type: 'loyalty_card', points: tx.points, total: tx.after, balance: tx.after, related_object: { id: tx.voucherId, type: 'voucher' } } },
});

function voucherifyHolds(): Map<string, Map<string, FakeCard>> {
  const cards = new Map<string, FakeCard>();
  for (const card of truth) {
    const last = card.txs[card.txs.length - 1];
    cards.set(card.voucherId, { voucher: { ...voucherOf(card, last.after, last.at), object: 'voucher' }, balance: last.after, transactions: card.txs.map(transactionOf).reverse() });
  }
  return new Map([[CAMPAIGN, cards]]);
}

describe('reconciling a 20,000-card campaign within a Business plan', () => {
  let db: TestDatabase;
  let service: TestApp;
  let fake: FakeVoucherify;
  let head = 0;
  const env = () => ({
    DATABASE_URL: db.url,
    VOUCHERIFY_APP_ID: fake.appId,
    VOUCHERIFY_SECRET_KEY: fake.secretKey,
    VOUCHERIFY_API_URL: fake.url,
    VOUCHERIFY_EXPORT_POLL_MS: '200',
    LOG_LEVEL: 'silent',
  });
  const eventCount = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM events`)).rows[0].n as number;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeVoucherify(voucherifyHolds(), { callsPerMinute: 100, rowsPerExportFile: 10_000 });
    service = await startTestApp(db.url, { projectorPollMs: 50 });
    const bus = service.app.get(CommandBus);
    const deliveries = truth.flatMap((card) =>
      card.txs
        .filter((tx) => !withheld.has(tx.id))
        .map((tx) => JSON.stringify(envelope('voucher.loyalty_card.transaction.created', { voucher: voucherOf(card, tx.after, tx.at), transaction: transactionOf(tx) }, { createdAt: tx.at, eventId: `ev_${tx.id}` }))),
    );
    for (let i = 0; i < deliveries.length; i += 200) {
      const results = await Promise.all(deliveries.slice(i, i + 200).map((body) => bus.execute(new IngestCommand(Buffer.from(body), { kind: 'import' }))));
      for (const r of results) head = Math.max(head, (r as any).position ?? 0);
    }
    // The projections catch up with the whole campaign before a run compares it.
    for (let i = 0; i < 600 && (await getJson(service.baseUrl, '/gaps', head)).status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
    expect((await getJson(service.baseUrl, '/gaps', head)).status).toBe(200);
  }, 300_000);
  afterAll(async () => {
    await service?.close();
    await fake?.close();
    await db?.drop();
  });

  it('--since over a day of 500 transactions finds the 50 missing in at most 10 calls', async () => {
    const from = fake.requests.length;
    const cli = await runCli(['reconcile', '--campaign', CAMPAIGN, '--since', DAY, '--json'], env());
    expect(cli.stderr).toContain('transactions_list since');
    const report = JSON.parse(cli.stdout);
    expect(report.summary).toMatchObject({ transactions_missing: WITHHELD, transactions_unknown: 0, transactions_different: 0, cards_failed: 0 });
    const calls = fake.requests.length - from;
    expect(calls).toBeLessThanOrEqual(10);
    expect(report.calls.spent).toBe(calls);
    expect(Object.keys(fake.callsByEndpoint(from))).toEqual(['GET /v1/loyalties/{campaignId}/transactions']);
  }, 120_000);

  it('a full run backfills all 50 through the exports in at most 30 calls and under 5 minutes, every card then equal to Voucherify', async () => {
    const from = fake.requests.length;
    const started = Date.now();
    const cli = await runCli(['reconcile', '--campaign', CAMPAIGN, '--backfill', '--json'], env());
    const took = Date.now() - started;
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.summary).toMatchObject({ cards_checked: CARDS, transactions_missing: WITHHELD, transactions_backfilled: WITHHELD, cards_differing: 0, cards_failed: 0 });
    expect(fake.requests.length - from).toBeLessThanOrEqual(30);
    expect(took).toBeLessThan(5 * 60_000);
    // Nothing per card, and each export's files read (both exports are split).
    const byEndpoint = fake.callsByEndpoint(from);
    expect(Object.keys(byEndpoint).filter((e) => e.includes('{memberId}'))).toEqual([]);
    expect(byEndpoint['GET /download/{file}']).toBeGreaterThanOrEqual(5);
    // The balance moved; the counters and the campaign's name of the last full snapshot stayed.
    const backfilledCards = await db.pool.query(
      `SELECT voucher_id, balance::float8 AS balance, expired_points::float8 AS expired, pending_points::float8 AS pending, campaign_name FROM loyalty_cards WHERE voucher_id = ANY($1) ORDER BY voucher_id`,
      [truth.slice(0, WITHHELD).map((c) => c.voucherId)],
    );
    expect(backfilledCards.rows).toEqual(truth.slice(0, WITHHELD).map((c) => ({ voucher_id: c.voucherId, balance: c.txs[1].after, expired: 3, pending: 2, campaign_name: 'Scale' })));
    const reconciled = await db.pool.query(`SELECT event_id FROM events WHERE signature_status = 'reconciled'`);
    expect(new Set(reconciled.rows.map((r) => r.event_id))).toEqual(new Set([...withheld].map((id) => `evrec_${id}`)));
  }, 360_000);

  it('a second full run appends nothing', async () => {
    const before = await eventCount();
    const cli = await runCli(['reconcile', '--campaign', CAMPAIGN, '--backfill', '--json'], env());
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).summary).toMatchObject({ transactions_missing: 0, transactions_backfilled: 0, cards_differing: 0 });
    expect(await eventCount()).toBe(before);
  }, 360_000);

  it('refuses a plan over the budget before any call, saying its estimate', async () => {
    const from = fake.requests.length;
    const cli = await runCli(['reconcile', '--campaign', CAMPAIGN, '--max-calls', '3'], env());
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/the plan needs about \d+ Voucherify calls .* more than the budget of 3; raise it with --max-calls \d+/);
    expect(fake.requests.length).toBe(from);
  }, 60_000);
});
