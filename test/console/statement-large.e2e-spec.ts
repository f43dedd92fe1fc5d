import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { runCli } from '../support/cli';
import { TEST_ADMIN, useLedgerService } from '../support/ledger-service';
import { cardAt, cardTransaction, TestCard } from '../support/loyalty-payloads';
import { envelope } from '../support/voucherify';
import { browserAvailable, buildConsole, launchBrowser } from './browser';

/*
 * A customer who disputes a busy card's balance gets a statement of every entry: 10,000 of them
 * in one period render in the browser, ready to print, with the API's closing balance.
 */

const ENTRIES = 10_000;
const CARD: TestCard = { id: 'v_busy_1', code: 'BUSY-1', campaignId: 'camp_busy', campaignName: 'Busy Club', holderId: 'cust_busy' };

const run = browserAvailable() ? describe : describe.skip;

run('a statement of 10,000 entries in the browser', () => {
  let consoleDir = '';
  let browser: Browser;
  beforeAll(async () => {
    consoleDir = await buildConsole();
  }, 120_000);
  const app = useLedgerService(() => ({ consoleDir, readTokens: ['read-token-busy-0123456789'] }));
  afterAll(async () => {
    await browser?.close();
  });

  beforeAll(async () => {
    // The card's history, imported as a backfill would be (one CLI run), then one webhook to wait for.
    const start = Date.parse('2024-03-01T00:00:00.000Z');
    const lines = Array.from({ length: ENTRIES }, (_, i) => {
      const at = new Date(start + i * 60_000).toISOString();
      const t = cardTransaction(CARD, `vtx_busy_${i}`, 'POINTS_ACCRUAL', 10, 10 * (i + 1), at, `order ord_${i}`);
      return JSON.stringify(envelope('voucher.loyalty_card.transaction.created', { voucher: cardAt(CARD, at, 10 * (i + 1), 10 * (i + 1)), transaction: t }, { createdAt: at }));
    });
    const file = join(mkdtempSync(join(tmpdir(), 'ledger-busy-')), 'busy.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const imported = await runCli(['import', file], { DATABASE_URL: app.db.url });
    expect(imported.code).toBe(0);
    await app.send('customer.created', { customer: { id: CARD.holderId, object: 'customer', name: 'Busy Bee' } }, '2024-04-01T00:00:00.000Z');
    browser = await launchBrowser();
  }, 240_000);

  it('renders every entry, with the closing balance the API gives', async () => {
    const path = `/customers/${CARD.holderId}/statement?from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z`;
    // The projector may still be folding the import: X-Min-Position waits for the webhook sent after it (503 while a wait runs out).
    let api = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${TEST_ADMIN}`, 'x-min-position': String(app.head()) } });
    for (let i = 0; i < 60 && api.status === 503; i++) api = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${TEST_ADMIN}`, 'x-min-position': String(app.head()) } });
    expect(api.status).toBe(200);
    const statement = await api.json();
    expect(statement.cards[0]).toMatchObject({ opening_balance: 0, closing_balance: 10 * ENTRIES, truncated: false });
    expect(statement.cards[0].entries).toHaveLength(ENTRIES);

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${app.baseUrl}/console/`);
    await page.getByLabel('Access token').fill(TEST_ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    await page.goto(`${app.baseUrl}/console${path.replace('from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z', 'from=2024-03-01&to=2024-04-01')}`);
    await page.getByTestId('statement-closing').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('statement-closing').textContent()).resolves.toBe((10 * ENTRIES).toLocaleString('en'));
    // Opening, every entry, closing, pending and expiring: nothing left out for the printout.
    await expect(page.getByTestId('statement-card').locator('tbody tr').count()).resolves.toBe(ENTRIES + 4);
  }, 120_000);
});
