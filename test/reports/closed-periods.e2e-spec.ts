import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useLedgerService } from '../support/ledger-service';
import { cardAt, cardTransaction, TestCard } from '../support/loyalty-payloads';
import { envelope } from '../support/voucherify';
import { runCli } from '../support/cli';

/*
 * Closing a month: its report stays as it stood, byte for byte, whatever arrives later dated
 * inside it (a late webhook, a backfill); the first open month explains the difference as a
 * prior-period adjustment naming the closed month; reopening gives the live figures back.
 */

const CAMPAIGN = 'camp_close';
const ANN: TestCard = { id: 'v_close_a', code: 'CLOSE-A', campaignId: CAMPAIGN, campaignName: 'Closing Club', holderId: 'cust_close_a' };
const BOB: TestCard = { id: 'v_close_b', code: 'CLOSE-B', campaignId: CAMPAIGN, campaignName: 'Closing Club', holderId: 'cust_close_b' };
const CLEO: TestCard = { id: 'v_close_c', code: 'CLOSE-C', campaignId: CAMPAIGN, campaignName: 'Closing Club', holderId: 'cust_close_c' };
const JANUARY = 'from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z';
const FEBRUARY = 'from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z';

const transaction = (card: TestCard, id: string, type: string, points: number, balance: number, at: string) => ({
  voucher: cardAt(card, at, 0, balance),
  transaction: cardTransaction(card, id, type, points, balance, at),
});

describe('closing a month', () => {
  const app = useLedgerService();
  const { send, get, admin } = app;
  /** The raw text of a report, JSON or CSV, once everything sent is applied. */
  const text = async (query: string, format: 'json' | 'csv' = 'json') => {
    const answer = await fetch(`${app.baseUrl}/reports/points?${query}&format=${format}`, { headers: { 'x-min-position': String(app.head()) } });
    expect(answer.status).toBe(200);
    return answer.text();
  };
  const campaign = async (query: string) => {
    const report = await get(`/reports/points?${query}`);
    expect(report.status).toBe(200);
    return { ...report.json.campaigns.find((c: any) => c.campaign_id === CAMPAIGN), period: report.json.period };
  };

  beforeAll(async () => {
    await send('voucher.loyalty_card.transaction.created', transaction(ANN, 'vtx_close_1', 'POINTS_ACCRUAL', 100, 100, '2024-01-10T10:00:00.000Z'), '2024-01-10T10:00:00.000Z');
    // Ann's 20 points added on 15 January never arrive as a webhook: a gap until the backfill below.
    await send('voucher.loyalty_card.transaction.created', transaction(ANN, 'vtx_close_3', 'POINTS_REDEMPTION', -30, 90, '2024-01-20T10:00:00.000Z'), '2024-01-20T10:00:00.000Z');
    await send('voucher.loyalty_card.transaction.created', transaction(ANN, 'vtx_close_4', 'POINTS_ACCRUAL', 50, 140, '2024-02-05T10:00:00.000Z'), '2024-02-05T10:00:00.000Z');
  });

  it('keeps a closed month byte for byte after a late webhook and a backfill dated inside it, and books the difference in the next month', async () => {
    const live = await campaign(JANUARY);
    expect(live).toMatchObject({ opening_balance: 0, closing_balance: 90, movements: { accrued: 100, redeemed: -30, unexplained: 20 }, period: null });

    const closed = await admin('POST', '/admin/periods/2024-01/close');
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ month: '2024-01', event_id: expect.any(String), position: expect.any(Number) });
    const json = await text(JANUARY);
    const csv = await text(JANUARY, 'csv');
    const kept = JSON.parse(json);
    expect(kept.period).toMatchObject({ month: '2024-01', status: 'closed', closed_event_id: closed.json.event_id, reopened_at: null });
    expect(kept.period.log_position).toBeGreaterThanOrEqual(closed.json.position - 1);
    expect(kept.period.chain_head).toMatchObject({ position: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(kept.campaigns[0]).toMatchObject({ closing_balance: 90, movements: { unexplained: 20 } });

    // Later, dated before January (December is open): Cleo's first 5 points.
    await send('voucher.loyalty_card.transaction.created', transaction(CLEO, 'vtx_close_6', 'POINTS_ACCRUAL', 5, 5, '2023-12-20T10:00:00.000Z'), '2023-12-20T10:00:00.000Z');
    // Later, dated inside January: Bob's first points by webhook, and Ann's missing 20 by a backfill (ledger import).
    await send('voucher.loyalty_card.transaction.created', transaction(BOB, 'vtx_close_5', 'POINTS_ACCRUAL', 10, 10, '2024-01-25T10:00:00.000Z'), '2024-01-25T10:00:00.000Z');
    const dir = mkdtempSync(join(tmpdir(), 'ledger-close-'));
    const backfill = envelope('voucher.loyalty_card.transaction.created', transaction(ANN, 'vtx_close_2', 'POINTS_ADDITION', 20, 120, '2024-01-15T10:00:00.000Z'), { createdAt: '2024-01-15T10:00:00.000Z' });
    writeFileSync(join(dir, 'backfill.ndjson'), `${JSON.stringify(backfill)}\n`);
    const imported = await runCli(['import', join(dir, 'backfill.ndjson')], { DATABASE_URL: app.db.url });
    expect(imported.code).toBe(0);
    // A webhook after the import: reads that wait for it have applied the import too.
    await send('customer.created', { customer: { id: 'cust_close_after', object: 'customer' } }, '2024-03-01T00:00:00.000Z');
    expect((await get('/loyalty-cards/CLOSE-A/ledger')).json.data.map((e: any) => e.transaction_id)).toContain('vtx_close_2');

    expect(await text(JANUARY)).toBe(json);
    expect(await text(JANUARY, 'csv')).toBe(csv);
    // One campaign of a closed month is its part of the kept report.
    expect((await campaign(`${JANUARY}&campaign_id=${CAMPAIGN}`)).closing_balance).toBe(90);

    // February opens at January's kept closing and books what changed since: January gained Bob's 10 (Ann's 20 only
    // filled her gap), and Cleo's 5 from December (open) reached January's balances.
    const february = await campaign(FEBRUARY);
    expect(february).toMatchObject({
      opening_balance: 90,
      movements: { accrued: 50, prior_period_adjustment: 15 },
      prior_period_adjustments: [
        { month: '2023-12', points: 5 },
        { month: '2024-01', points: 10 },
      ],
      closing_balance: 155,
      period: null,
    });
    const moved = Object.values(february.movements as Record<string, number>).reduce((sum, v) => sum + v, 0);
    expect(february.opening_balance + moved).toBe(february.closing_balance);
    const februaryCsv = (await text(FEBRUARY, 'csv')).trimEnd().split('\r\n');
    const row = Object.fromEntries(februaryCsv[0].split(',').map((name, i) => [name, februaryCsv[1].split(',')[i]]));
    expect(row).toMatchObject({ opening_balance: '90', prior_period_adjustment: '15', adjusted_months: '2023-12:5 2024-01:10', closing_balance: '155' });

    // A rebuild of the closings from the log gives the same kept report.
    const replayed = await runCli(['replay', '--projection', 'closed_periods'], { DATABASE_URL: app.db.url });
    expect(replayed.code).toBe(0);
    expect(await text(JANUARY)).toBe(json);
  });

  it('refuses what a closing cannot be, with a clear answer, and lists the closings', async () => {
    expect((await admin('POST', '/admin/periods/2024-01/close')).status).toBe(409);
    const thisMonth = new Date().toISOString().slice(0, 7);
    const notEnded = await admin('POST', `/admin/periods/${thisMonth}/close`);
    expect(notEnded).toMatchObject({ status: 409, json: { message: expect.stringContaining('has not ended') } });
    for (const bad of ['2024-13', '2024-1', 'x']) expect((await admin('POST', `/admin/periods/${bad}/close`)).status).toBe(400);
    expect((await admin('POST', '/admin/periods/2024-02/reopen', { reason: 'not closed' })).status).toBe(409);
    expect((await admin('POST', '/admin/periods/2024-01/reopen', {})).status).toBe(400);
    const across = await get('/reports/points?from=2024-01-15T00:00:00Z&to=2024-02-15T00:00:00Z');
    expect(across).toMatchObject({ status: 409, json: { message: expect.stringContaining('2024-01 is closed') } });
    // One closing at a time across instances: another session holding the closings' lock answers 409 at once.
    const holder = await app.db.pool.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('ledger.periods'), hashtext('closing'))`);
      expect(await admin('POST', '/admin/periods/2024-02/close')).toMatchObject({ status: 409, json: { message: expect.stringContaining('under way') } });
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      holder.release();
    }
    const periods = await get('/reports/periods');
    expect(periods.json.data).toEqual([expect.objectContaining({ month: '2024-01', status: 'closed' })]);
    const unauthorised = await fetch(`${app.baseUrl}/admin/periods/2024-01/reopen`, { method: 'POST' });
    expect(unauthorised.status).toBe(401);
  });

  it('gives a reopened month its live figures back, says so, and stops booking it in the next', async () => {
    const reopened = await admin('POST', '/admin/periods/2024-01/reopen', { reason: 'the auditor found a late invoice' });
    expect(reopened.status).toBe(200);
    const january = await campaign(JANUARY);
    // Cleo's 5 from December, Ann's 90 and Bob's 10, Ann's 20 now added by hand instead of unexplained.
    expect(january).toMatchObject({ opening_balance: 5, closing_balance: 105, movements: { added: 20, unexplained: 0, accrued: 110 } });
    expect(january.period).toMatchObject({ month: '2024-01', status: 'reopened', reopen_reason: 'the auditor found a late invoice', reopened_at: expect.any(String) });
    expect(await campaign(FEBRUARY)).toMatchObject({ opening_balance: 105, movements: { prior_period_adjustment: 0 }, prior_period_adjustments: [], closing_balance: 155 });

    // Closed again, it keeps the figures of now.
    expect((await admin('POST', '/admin/periods/2024-01/close')).status).toBe(200);
    expect(await campaign(JANUARY)).toMatchObject({ closing_balance: 105, movements: { added: 20 }, period: { status: 'closed', reopened_at: null } });
  });
});
