import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/test-app';
import { getJson } from '../support/read-api';
import { browserAvailable, buildConsole, launchBrowser } from './browser';
import { SEED, ShopService, startShopService } from './seed';

/**
 * `npm run screenshots`: a PNG of each view of the console, on the seeded shop, into
 * docs/screenshots/ (the README shows them). Run by jest for its embedded PostgreSQL, but not part
 * of `npm test` (its file name is not a test tier's).
 */
const OUT = resolve(__dirname, '../../docs/screenshots');
const SECRET = 'whsec-screens-0123456789abcdef';
const ADMIN = 'admin-token-screens-0123456789';

const run = browserAvailable() ? describe : describe.skip;

run('console screenshots', () => {
  let shop: ShopService;
  let service: TestApp;
  let browser: Browser;
  let page: Page;
  let runId: string;

  beforeAll(async () => {
    shop = await startShopService({ consoleDir: await buildConsole(), secret: SECRET, adminToken: ADMIN, readToken: 'read-token-screens-0123456789' });
    service = shop.service;
    await getJson(service.baseUrl, '/projections', shop.head);
    // A dry run that finds the transaction whose webhook was lost.
    const started = await fetch(`${service.baseUrl}/admin/reconciliations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ campaign_ids: [SEED.campaign], gaps_only: true }),
    });
    runId = (await started.json()).id;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    mkdirSync(OUT, { recursive: true });
    await page.goto(`${service.baseUrl}/console/`);
    await page.getByLabel('Access token').waitFor();
    await page.screenshot({ path: resolve(OUT, 'sign-in.png') });
    await page.getByLabel('Access token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
  });

  const shoot = async (name: string, path: string, ready: (page: Page) => Promise<unknown>) => {
    await page.goto(`${service.baseUrl}/console${path}`);
    await ready(page);
    await page.waitForTimeout(300); // charts draw on the next frame
    await page.screenshot({ path: resolve(OUT, `${name}.png`), fullPage: true });
  };

  it('takes one of each view', async () => {
    await shoot('overview', '/', (p) => p.getByTestId('gaps-count').waitFor());
    await shoot('inbox', '/inbox', (p) => p.getByRole('link', { name: 'evt_ann_accrual_1' }).waitFor());
    await shoot('inbox-refused', '/inbox?tab=refused', async (p) => {
      await p.getByTestId('refusal').first().waitFor();
      await p.locator('details.refusal summary').first().click();
    });
    await shoot('event', '/events/evt_ann_accrual_1', (p) => p.getByTestId('produced-entry').first().waitFor());
    await shoot('customer', `/customers/${SEED.customer}`, (p) => p.getByTestId('gap-row').waitFor());
    await shoot('customers-search', '/customers?q=example', (p) => p.getByTestId('search-result').first().waitFor());
    await shoot('statement', `/customers/${SEED.customer}/statement?from=${SEED.reportPeriod.from}&to=${SEED.reportPeriod.to}`, (p) => p.getByTestId('statement-card').first().waitFor());
    await shoot('customer-as-of', `/customers/${SEED.customer}?as_of=2024-02-01`, (p) => p.getByTestId('card-row').waitFor());
    await shoot('customer-redemptions', `/customers/${SEED.redeemingCustomer}`, (p) => p.getByText('ignored:').first().waitFor());
    await shoot('projections', '/projections', (p) => p.getByTestId('dead-letter-group').waitFor());
    await shoot('reports', `/reports?from=${SEED.reportPeriod.from}&to=${SEED.reportPeriod.to}`, (p) => p.getByTestId('report-campaign').first().waitFor());
    await shoot('report-revenue', `/reports?from=${SEED.reportPeriod.from}&to=${SEED.reportPeriod.to}&campaign=${SEED.campaign}`, (p) => p.getByTestId('redemption-triangle').waitFor());
    await shoot('reconciliation-run', `/reconciliation/${runId}`, (p) => p.getByTestId(`difference-${SEED.card}`).waitFor({ timeout: 30_000 }));
    await shoot('reconciliation', '/reconciliation', async (p) => {
      await p.getByTestId(`run-${runId}`).waitFor();
      await p.getByLabel('Campaign ids (optional, comma-separated)').fill(SEED.campaign);
      await p.getByRole('button', { name: 'Review plan' }).click();
      await p.getByTestId('plan-total').waitFor();
    });
    await shoot('erasures', '/erasures', async (p) => {
      await p.getByTestId('erasure-row').first().waitFor();
      await p.getByLabel('Customer (cust_… or your source id)').fill(SEED.erasableCustomer);
      await p.getByRole('button', { name: 'Review' }).click();
      await p.getByTestId('erasure-preview').waitFor();
    });
    // Last: a closed month (closing February changes what the reports above may ask).
    await shoot('report-closed', '/reports?from=2024-02-01&to=2024-03-01', async (p) => {
      await p.getByRole('button', { name: 'Close 2024-02' }).click();
      await p.getByTestId('period-status').getByText('closed').waitFor();
    });
  }, 120_000);
});
