import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { CommandBus } from '@nestjs/cqrs';
import { IngestCommand } from '../../apps/ledger/src/ingest/ingest.command';
import { backfillBody } from '../../apps/ledger/src/reconciliation/backfill-event';
import { VoucherifyApi } from '../../apps/ledger/src/reconciliation/voucherify-api';
import { runCli } from '../support/cli';
import { cardsFromTruth, FakeVoucherify, startFakeVoucherify } from '../support/fake-voucherify';
import { expectedLedger, LedgerTruth, ledgerTruthArbitrary, Webhook } from '../support/ledger-truth';
import { getJson } from '../support/read-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';

// Several cards in two campaigns with long histories (the richest of a few samples).
const truth: LedgerTruth = fc
  .sample(ledgerTruthArbitrary(6, 12), { numRuns: 40, seed: 1616 })
  .reduce((a, b) => (b.webhooks.length > a.webhooks.length ? b : a));
const transactions = truth.cards.flatMap((card) => card.items.flatMap((item) => (item.kind === 'tx' ? [{ card, item }] : [])));
// Every third transaction never reaches the ledger: none of the webhooks that report it.
const withheld = new Set(transactions.filter((_, i) => i % 3 === 1).map((t) => t.item.id));
const withheldHooks = new Set(transactions.filter((t) => withheld.has(t.item.id)).flatMap((t) => t.item.webhooks.map((w) => w.eventId)));
const everyHook = new Set(truth.webhooks.map((w) => w.eventId));
const ADMIN = 'admin-token-0123456789';

describe('reconciliation with a fake Voucherify that holds the whole truth, after webhooks went missing', () => {
  let db: TestDatabase;
  let service: TestApp;
  let fake: FakeVoucherify;
  let head = 0;

  const cliEnv = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: db.url,
    VOUCHERIFY_APP_ID: fake.appId,
    VOUCHERIFY_SECRET_KEY: fake.secretKey,
    VOUCHERIFY_API_URL: fake.url,
    VOUCHERIFY_TIMEOUT_MS: '2000',
    VOUCHERIFY_EXPORT_POLL_MS: '50',
    LOG_LEVEL: 'silent',
    ...extra,
  });
  const codeOf = (campaignId: string, voucherId: string) => String(fake.campaigns.get(campaignId)!.get(voucherId)!.voucher.code);
  const eventCount = async () => Number((await db.pool.query(`SELECT count(*) AS n FROM events`)).rows[0].n);
  const logHead = async () => Number((await db.pool.query(`SELECT coalesce(max(global_position), 0) AS n FROM events`)).rows[0].n);
  const get = async (path: string) => getJson(service.baseUrl, path, await logHead());
  const ledgerOf = async (voucherId: string) => (await get(`/loyalty-cards/${voucherId}/ledger?limit=500`)).json.data.reverse();
  const deliver = async (w: Webhook) => {
    const body = JSON.stringify(envelope(w.type, w.data, { eventId: w.eventId, createdAt: w.createdAt, envelopeType: w.envelopeType }));
    const answer = await postWebhook(service.baseUrl, body);
    expect([200, 202]).toContain(answer.status);
    head = Math.max(head, answer.json.position);
    return answer;
  };
  const differencesMetric = async () => {
    const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
    const value = (measure: string) => Number(new RegExp(`^ledger_reconciliation_differences\\{measure="${measure}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    return { cards: value('cards'), points: value('points') };
  };
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: await response.json() };
  };

  beforeAll(async () => {
    expect(withheld.size).toBeGreaterThan(3);
    db = await createTestDatabase();
    fake = await startFakeVoucherify(cardsFromTruth(truth));
    service = await startTestApp(db.url, {
      projectorPollMs: 50,
      adminToken: ADMIN,
      voucherifyAppId: fake.appId,
      voucherifySecretKey: fake.secretKey,
      voucherifyApiUrl: fake.url,
      voucherifyTimeoutMs: 2000,
      voucherifyExportPollMs: 50,
    });
    for (const w of truth.webhooks) if (!withheldHooks.has(w.eventId)) await deliver(w);
    await getJson(service.baseUrl, '/gaps', head);
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await fake?.close();
    await db?.drop();
  });

  it('refuses a wrong secret key with a clear error, never shows it, and changes nothing', async () => {
    const before = await eventCount();
    const wrongKey = 'wrong-secret-key-9a8b7c6d';
    const cli = await runCli(['reconcile', '--backfill'], cliEnv({ VOUCHERIFY_SECRET_KEY: wrongKey }));
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('Voucherify refused the credentials (HTTP 401)');
    expect(cli.stdout + cli.stderr).not.toContain(wrongKey);
    expect(await eventCount()).toBe(before);
  }, 60_000);

  it('says it is not configured and exits non-zero without credentials', async () => {
    const cli = await runCli(['reconcile'], { DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('not configured');
  }, 60_000);

  it('reports exactly the withheld transactions, in a table and through the admin API', async () => {
    const cli = await runCli(['reconcile'], cliEnv());
    expect(cli.code).toBe(1); // differences remain
    const runId = /^reconciliation ([0-9a-f-]{36}): succeeded/.exec(cli.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(cli.stdout).toMatch(/CAMPAIGN\s+CARD\s+VOUCHERIFY\s+LEDGER\s+MISSING/);
    const report = (await admin('GET', `/admin/reconciliations/${runId}`)).json;
    const missing = report.cards.flatMap((c: any) => c.missing_here.map((t: any) => t.transaction_id));
    expect(new Set(missing)).toEqual(withheld);
    expect(missing).toHaveLength(withheld.size);
    expect(report.cards.flatMap((c: any) => [...c.unknown_to_voucherify, ...c.different_points])).toEqual([]);
    expect(report.summary).toMatchObject({ cards_checked: truth.cards.length, transactions_missing: withheld.size, transactions_backfilled: 0 });
    expect(report.cards.every((c: any) => c.resolved === false && c.missing_here.every((t: any) => t.backfilled === false))).toBe(true);
    // What is unexplained: the points of the missing transactions, card by card.
    for (const c of report.cards) {
      const truthPoints = transactions.filter((t) => t.card.voucherId === c.card_id && withheld.has(t.item.id)).reduce((sum, t) => sum + Math.abs(t.item.points), 0);
      expect([c.card_id, c.points_unexplained]).toEqual([c.card_id, truthPoints]);
    }
    expect(report.summary.points_unexplained).toBe(report.cards.reduce((sum: number, c: any) => sum + c.points_unexplained, 0));
    const listed = (await admin('GET', '/admin/reconciliations')).json.data;
    expect(listed.map((r: any) => r.id)).toContain(runId);
    expect(await differencesMetric()).toEqual({ cards: report.summary.cards_differing, points: report.summary.points_unexplained });
    expect(report.summary.cards_differing).toBeGreaterThan(0);
  }, 120_000);

  it('backfills: every card then has the ledger, balance and gaps of the whole truth', async () => {
    const cli = await runCli(['reconcile', '--backfill', '--json'], cliEnv());
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.summary).toMatchObject({ transactions_missing: withheld.size, transactions_backfilled: withheld.size, cards_differing: 0, points_unexplained: 0 });
    expect(report.cards.every((c: any) => c.resolved && c.missing_here.every((t: any) => t.backfilled))).toBe(true);
    for (const card of truth.cards) {
      const entries = await ledgerOf(card.voucherId);
      expect(
        entries.map((e: any) => ({ key: e.derived ? `derived@${e.occurred_at}` : e.transaction_id, points: e.points, balanceAfter: e.balance_after, unexplainedBefore: e.unexplained_before })),
      ).toEqual(expectedLedger(card, everyHook));
      const last = card.items.filter((i) => i.kind !== 'snapshot').pop();
      expect((await get(`/loyalty-cards/${card.voucherId}`)).json.balance).toBe(last && 'after' in last ? last.after : 0);
      expect((await get(`/loyalty-cards/${card.voucherId}/gaps`)).json.data).toEqual([]);
    }
    expect(await differencesMetric()).toEqual({ cards: 0, points: 0 });
    const reconciled = await db.pool.query(`SELECT event_id FROM events WHERE signature_status = 'reconciled'`);
    expect(new Set(reconciled.rows.map((r) => r.event_id))).toEqual(new Set([...withheld].map((id) => `evrec_${id}`)));
  }, 180_000);

  it('appends nothing when run again', async () => {
    const before = await eventCount();
    const cli = await runCli(['reconcile', '--backfill', '--json'], cliEnv());
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).summary).toMatchObject({ transactions_missing: 0, transactions_backfilled: 0, cards_differing: 0 });
    expect(await eventCount()).toBe(before);
  }, 120_000);

  it('stores a backfilled transaction once, however often it is fetched and appended again', async () => {
    // A run stopped after appending and before the projections applied it appends again next time:
    // the same transaction must then be the same event (derived id, same bytes), a duplicate.
    const api = new VoucherifyApi({ applicationId: fake.appId, secretKey: fake.secretKey, apiUrl: fake.url, timeoutMs: 2000, retries: 0, concurrency: 1, callsPerMinute: 50, maxCalls: 1000 });
    const commandBus = service.app.get(CommandBus);
    let checked = 0;
    for (const { card, item } of transactions.filter((t) => withheld.has(t.item.id))) {
      // Read on its own this time (by code), not through the campaign's export as the run did: the same bytes all the same.
      const code = codeOf(card.campaignId, card.voucherId);
      const member = (await api.getMember(card.campaignId, code))!;
      const listed = (await api.listCardTransactions(card.campaignId, code)).find((t) => t.id === item.id)!;
      const result = await commandBus.execute(new IngestCommand(backfillBody(listed, member), { kind: 'reconciliation' }));
      expect([result.outcome, result.eventId]).toEqual(['duplicate', `evrec_${item.id}`]);
      checked++;
    }
    expect(checked).toBe(withheld.size);
  });

  it('makes a late webhook for a backfilled transaction the same ledger entry', async () => {
    const late = transactions.find((t) => withheld.has(t.item.id))!;
    const entriesBefore = await ledgerOf(late.card.voucherId);
    for (const w of late.item.webhooks) expect((await deliver(w)).status).toBe(202);
    const after = (await getJson(service.baseUrl, `/loyalty-cards/${late.card.voucherId}/ledger?limit=500`, head)).json.data.reverse();
    expect(after).toHaveLength(entriesBefore.length);
    const entry = after.find((e: any) => e.transaction_id === late.item.id);
    expect(entry.event_ids).toEqual(expect.arrayContaining([`evrec_${late.item.id}`, ...late.item.webhooks.map((w) => w.eventId)]));
    expect(after.map((e: any) => [e.transaction_id, e.balance_after])).toEqual(entriesBefore.map((e: any) => [e.transaction_id, e.balance_after]));
  }, 60_000);

  it('waits out 429s for as long as Retry-After says', async () => {
    const card = truth.cards[0];
    fake.rateLimitNext(2, 1);
    const from = fake.requests.length;
    const cli = await runCli(['reconcile', '--campaign', card.campaignId, '--card', card.voucherId, '--json'], cliEnv());
    expect(cli.code).toBe(0);
    const seen = fake.requests.slice(from);
    expect(seen.map((r) => r.status).slice(0, 3)).toEqual([429, 429, 200]);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(950);
    expect(seen[2].at - seen[1].at).toBeGreaterThanOrEqual(950);
    expect(JSON.parse(cli.stdout).summary).toMatchObject({ cards_checked: 1, cards_failed: 0 });
  }, 60_000);

  it('retries 5xx with backoff, and reports a card Voucherify keeps failing on', async () => {
    const card = truth.cards[0];
    fake.failNext(2, 503);
    const recovered = await runCli(['reconcile', '--campaign', card.campaignId, '--card', card.voucherId, '--json'], cliEnv());
    expect(recovered.code).toBe(0);
    fake.failNext(100, 502);
    const failed = await runCli(['reconcile', '--campaign', card.campaignId, '--card', card.voucherId, '--json'], cliEnv({ VOUCHERIFY_RETRIES: '2' }));
    fake.failNext(0);
    expect(failed.code).toBe(1);
    const report = JSON.parse(failed.stdout);
    expect(report.summary).toMatchObject({ cards_checked: 1, cards_failed: 1 });
    expect(report.cards[0].explanation).toContain('did not answer card');
    expect(failed.stdout + failed.stderr).not.toContain(fake.secretKey);
  }, 60_000);

  it('starts in the background over HTTP and shows its progress and report', async () => {
    const started = await admin('POST', '/admin/reconciliations', { gaps_only: false, backfill: true });
    expect(started.status).toBe(202);
    expect(started.json.run).toMatchObject({ state: 'running', trigger: 'api', options: { backfill: true, gaps_only: false } });
    let run = started.json.run;
    for (let i = 0; i < 200 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await admin('GET', `/admin/reconciliations/${started.json.id}`)).json;
    }
    expect(run).toMatchObject({ state: 'succeeded', summary: { cards_checked: truth.cards.length, cards_differing: 0 }, cards: [] });
  }, 60_000);

  it('resumes an interrupted run where it stopped, and a second run meanwhile says who holds the campaign', async () => {
    const campaign = truth.cards[0].campaignId;
    const cards = truth.cards.filter((c) => c.campaignId === campaign).length;
    // Named cards are read one by one (a whole campaign is read through its exports): the cursor then moves card by card.
    const byCode = truth.cards.filter((c) => c.campaignId === campaign).flatMap((c) => ['--card', codeOf(campaign, c.voucherId)]);
    // Slow answers keep the first run busy long enough for a second process to start and knock.
    fake.setDelay(5000);
    const repo = resolve(__dirname, '../..');
    const env = cliEnv({ RECONCILE_CONCURRENCY: '1', VOUCHERIFY_TIMEOUT_MS: '15000' });
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/ledger/src/cli/main.ts', 'reconcile', '--campaign', campaign, ...byCode, '--backfill'], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.on('exit', done));
    const runningRun = async () =>
      (await db.pool.query(`SELECT id, progress FROM reconciliation_runs WHERE state = 'running' AND $1 = ANY(campaign_ids)`, [campaign])).rows[0];
    let run: any;
    for (let i = 0; i < 600 && !run; i++) {
      run = await runningRun();
      if (!run) await new Promise((r) => setTimeout(r, 100));
    }
    const busy = await runCli(['reconcile', '--campaign', campaign, ...byCode], env);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`campaign ${campaign} is being reconciled by run ${run.id}`);
    for (let i = 0; i < 600 && run.progress.cards_checked < 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = await runningRun();
    }
    expect(run.progress.cards_checked).toBeGreaterThanOrEqual(1);
    expect(run.progress.cards_checked).toBeLessThan(cards);
    child.kill('SIGKILL'); // no chance to say goodbye: the run is left "running", its lock goes with the session
    await exited;
    const checkedBefore = (await db.pool.query(`SELECT progress FROM reconciliation_runs WHERE id = $1`, [run.id])).rows[0].progress.cards_checked;
    fake.setDelay(0);
    const resumedAt = Date.now(); // the killed process's last request may still be answered: count by arrival
    const resumed = await runCli(['reconcile', '--backfill', '--campaign', campaign, ...byCode, '--json'], cliEnv({ RECONCILE_CONCURRENCY: '1' }));
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming interrupted run ${run.id}`);
    const report = JSON.parse(resumed.stdout);
    expect(report).toMatchObject({ id: run.id, state: 'succeeded', resumed: 1, summary: { cards_checked: cards } });
    // Only the cards after the cursor were asked for again.
    const cardCalls = fake.requests.filter((r) => r.at >= resumedAt && /\/members\/[^/]+$/.test(r.path));
    expect(cardCalls).toHaveLength(cards - checkedBefore);
  }, 240_000);
});
