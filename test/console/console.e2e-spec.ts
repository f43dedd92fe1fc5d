import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/test-app';
import { browserAvailable, buildConsole, launchBrowser } from './browser';
import { envelope, postWebhook } from '../support/voucherify';
import { SEED, ShopService, startShopService } from './seed';

const SECRET = 'whsec-console-0123456789abcdef';
const ADMIN = 'admin-token-console-0123456789';
const READER = 'read-token-console-0123456789';

/**
 * The operator console in Debian's Chromium (playwright-core), on the real service and database:
 * one build of the console, one service, one browser for the whole file.
 */
const run = browserAvailable() ? describe : describe.skip;

run('the operator console in a browser', () => {
  let shop: ShopService;
  let service: TestApp;
  let browser: Browser;
  let page: Page;
  let head = 0;
  const pageErrors: string[] = [];

  const api = async (path: string, token = ADMIN) => {
    const response = await fetch(`${service.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-min-position': String(head) } });
    expect(response.status).toBe(200);
    return response.json() as Promise<any>;
  };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${service.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return response.json() as Promise<any>;
  };
  const open = async (path: string) => {
    await page.goto(`${service.baseUrl}/console${path}`);
  };

  beforeAll(async () => {
    shop = await startShopService({ consoleDir: await buildConsole(), secret: SECRET, adminToken: ADMIN, readToken: READER });
    service = shop.service;
    head = shop.head;
    await api('/projections');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    // Any script error or refused resource (a CSP violation is logged as a console error) fails the file.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 401/.test(message.text())) pageErrors.push(message.text());
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
  });
  afterEach(() => expect(pageErrors).toEqual([]));

  it('asks for a token, refuses a wrong one, and opens with the admin token', async () => {
    await open('/');
    await page.getByLabel('Access token').fill('not-a-token-of-this-service');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'did not accept' }).waitFor();
    await page.getByLabel('Access token').fill(ADMIN);
    await page.keyboard.press('Enter');
    await page.getByText('Signed in with: admin token').waitFor();
  });

  it('shows on the overview the counts the API gives', async () => {
    await open('/');
    const gaps = await api('/gaps?limit=500');
    const perMinute = await api('/events/received-per-minute');
    const refusals = await api('/admin/rejected-deliveries/counts');
    const projections = await api('/projections');
    expect(gaps.data.length).toBeGreaterThan(0);
    await expect(page.getByTestId('gaps-count').textContent()).resolves.toBe(String(gaps.data.length));
    await expect(page.getByTestId('webhooks-total').textContent()).resolves.toBe(String(perMinute.data.reduce((s: number, m: any) => s + m.webhooks, 0)));
    await expect(page.getByTestId('refusals-total').textContent()).resolves.toBe(String(refusals.data.reduce((s: number, r: any) => s + r.deliveries, 0)));
    for (const p of projections.data) {
      await expect(page.getByTestId(`projection-${p.name}`).getByTestId('parked').textContent()).resolves.toBe(String(p.parked_events));
    }
    expect(projections.data.find((p: any) => p.name === SEED.parkedProjection).parked_events).toBe(1);
  });

  it('opens an event from the inbox and shows its raw body', async () => {
    await open('/inbox');
    await page.getByRole('link', { name: 'evt_ann_accrual_1' }).click();
    await page.waitForURL(/\/console\/events\/evt_ann_accrual_1$/);
    await expect(page.getByTestId('raw-body').textContent()).resolves.toContain('"vtx_ann_1"');
    await page.getByTestId('produced-entry').filter({ hasText: 'vtx_ann_1' }).waitFor();
  });

  it('filters the inbox by customer through the URL, newest first', async () => {
    await open(`/inbox?customer=${SEED.customer}`);
    await page.getByRole('link', { name: 'evt_ann_accrual_1' }).waitFor();
    const positions = (await page.locator('table.events tbody tr td:first-child').allTextContents()).map(Number);
    const fromApi = await api(`/events?order=desc&customer_id=${SEED.customer}`);
    expect(positions).toEqual(fromApi.data.map((e: any) => e.position));
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
  });

  it('shows new events at the top as they arrive, with the live tail on', async () => {
    await open('/inbox');
    await page.getByRole('link', { name: 'evt_ann_accrual_1' }).waitFor();
    await page.getByLabel('Live tail').check();
    await page.getByTestId('live-state').filter({ hasText: /^live/ }).waitFor();
    const body = JSON.stringify(envelope('customer.updated', { customer: { id: SEED.customer, name: SEED.customerName } }, { eventId: 'evt_live_1' }));
    expect((await postWebhook(service.baseUrl, body, { secret: SECRET })).status).toBe(202);
    await page.locator('table.events tbody tr.arrived').filter({ hasText: 'evt_live_1' }).waitFor();
    await expect(page.locator('table.events tbody tr').first().textContent()).resolves.toContain('evt_live_1');
    await page.getByLabel('Live tail').uncheck();
  });

  it('finds a refused delivery and its reason', async () => {
    await open('/inbox');
    await page.getByRole('tab', { name: 'Refused deliveries' }).click();
    const refusal = page.getByTestId('refusal').filter({ hasText: SEED.refusedReason });
    await refusal.locator('summary').click();
    await expect(refusal.textContent()).resolves.toContain('a test sender');
    await expect(refusal.textContent()).resolves.toContain('422');
    // One line per problem the service found, not run together.
    await expect(refusal.getByTestId('refusal-problems').locator('li').first().textContent()).resolves.toMatch(/^type is missing/);
  });

  it("lists a customer's points changes as the API's points history gives them", async () => {
    const history = await api(`/customers/${SEED.customer}/points-history?limit=200`);
    const changes = history.data.map((e: { delta: number | null }) =>
      e.delta === null ? 'unknown' : e.delta > 0 ? `+${e.delta.toLocaleString('en')}` : e.delta.toLocaleString('en'),
    );
    expect(changes.filter((c: string) => c !== 'unknown').length).toBeGreaterThanOrEqual(3); // the seed's transactions have known points
    await open(`/customers/${SEED.customer}`);
    await page.getByTestId('entry-points').first().waitFor();
    await expect(page.getByTestId('entry-points').allTextContents()).resolves.toEqual(changes);
  });

  it('redraws a customer as of a date', async () => {
    await open(`/customers/${SEED.customer}`);
    await expect(page.getByTestId('customer-balance').textContent()).resolves.toBe(String(SEED.balanceNow));
    await page.getByTestId('gap-row').waitFor();
    for (const [day, balance] of Object.entries(SEED.balanceOn)) {
      await page.getByLabel('Show everything as it stood at the end of (UTC)').fill(day);
      await page.waitForURL(new RegExp(`as_of=${day}`));
      await page.getByTestId('customer-balance').filter({ hasText: new RegExp(`^${balance}$`) }).waitFor();
      await page.getByTestId('card-balance').filter({ hasText: new RegExp(`^${balance}$`) }).waitFor();
    }
    // A deep link to a date opens the same view.
    await open(`/customers/${SEED.customer}?as_of=2024-02-01`);
    await page.getByTestId('customer-balance').filter({ hasText: /^100$/ }).waitFor();
  });

  it('starts a rebuild and shows it finish', async () => {
    await open('/projections');
    const row = page.getByTestId('projection-ledger');
    await row.getByRole('button', { name: 'Rebuild ledger' }).click();
    await row.getByTestId('rebuild-state').filter({ hasText: 'rebuilt' }).waitFor({ timeout: 30_000 });
    const status = await api('/admin/projections');
    expect(status.rebuilds.find((j: any) => j.projection === 'ledger')).toMatchObject({ state: 'succeeded' });
  });

  it('retries a parked event after showing how many it will retry', async () => {
    await open('/projections');
    const group = page.getByTestId('dead-letter-group');
    await group.getByRole('button', { name: 'Retry all 1…' }).click();
    await group.getByRole('button', { name: 'Yes, retry 1' }).click();
    await expect(page.getByTestId('retry-outcome').textContent()).resolves.toBe('Retried 1: 1 applied');
    await page.getByText('No parked event').waitFor();
    expect((await api('/admin/dead-letters')).data).toEqual([]);
  });

  it('starts a reconciliation dry run and shows its differences as the API reports them', async () => {
    await open('/reconciliation');
    await page.getByLabel('Campaign ids (optional, comma-separated)').fill(SEED.campaign);
    // The plan first, within a budget, then the run it plans.
    await page.getByLabel('Budget of calls (optional)').fill('5');
    await page.getByRole('button', { name: 'Review plan' }).click();
    await page.getByTestId('plan-total').filter({ hasText: 'over budget' }).waitFor();
    const planned = await post('/admin/reconciliations/plan', { campaign_ids: [SEED.campaign], gaps_only: false, backfill: false, max_calls: 5 });
    await expect(page.getByTestId(`plan-${SEED.campaign}`).textContent()).resolves.toContain(String(planned.campaigns[0].estimated_calls));
    await page.getByRole('button', { name: `Raise the budget to ${planned.estimated_calls} calls` }).click();
    await page.getByRole('button', { name: 'Review plan' }).click();
    await page.getByTestId('plan-total').filter({ hasText: 'within budget' }).waitFor();
    await page.getByRole('button', { name: 'Start dry run' }).click();
    await page.waitForURL(/\/console\/reconciliation\/[0-9a-f-]{36}$/);
    const runId = page.url().split('/').pop()!;
    // Finished, and saying the card differs: "succeeded" alone would read as "all is well".
    await page.getByTestId('run-state').filter({ hasText: 'finished: 1 card differs' }).waitFor({ timeout: 30_000 });
    const run = await api(`/admin/reconciliations/${runId}`);
    expect(run.state).not.toBe('running');
    expect(run.summary).toMatchObject({ cards_checked: 1, cards_differing: 1, transactions_missing: 1, transactions_backfilled: 0 });
    expect(run.options.max_calls).toBe(planned.estimated_calls);
    await expect(page.getByTestId('run-calls').textContent()).resolves.toBe(`${run.calls.spent} of ${run.calls.max_calls}`);
    await expect(page.getByTestId('run-cards-checked').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('run-cards-differing').textContent()).resolves.toBe('1');
    // The lost webhook's transaction, named with its points; a dry run appends nothing.
    await expect(page.getByTestId(`difference-${SEED.card}`).textContent()).resolves.toContain('vtx_ann_2 +50');
    await open('/reconciliation');
    await page.getByTestId(`run-${runId}`).waitFor();
  });

  it('finds a customer from the search box on any page by part of their name, as the API finds them', async () => {
    await open('/reports');
    await page.getByRole('search').getByLabel('Find a customer').fill('ANN EXAM');
    await page.getByRole('search').getByLabel('Find a customer').press('Enter');
    await page.waitForURL(/\/console\/customers\?q=ANN%20EXAM$/);
    const found = (await api('/customers?q=ANN%20EXAM')).data;
    expect(found.map((c: any) => c.id)).toEqual([SEED.customer]);
    await page.getByTestId('search-result').first().waitFor();
    await expect(page.getByTestId('search-result').count()).resolves.toBe(1);
    await page.getByTestId('search-result').getByRole('link', { name: SEED.customerName }).click();
    await page.waitForURL(new RegExp(`/console/customers/${SEED.customer}$`));
    await page.getByTestId('customer-balance').waitFor();
  });

  it("shows a customer's statement as the API gives it, ready to print", async () => {
    const { from, to } = SEED.reportPeriod;
    await open(`/customers/${SEED.customer}`);
    await page.getByRole('link', { name: 'Points statement (print or CSV)' }).click();
    await page.waitForURL(new RegExp(`/console/customers/${SEED.customer}/statement$`));
    await open(`/customers/${SEED.customer}/statement?from=${from}&to=${to}`);
    const statement = await api(`/customers/${SEED.customer}/statement?from=${from}T00:00:00Z&to=${to}T00:00:00Z`);
    await page.getByTestId('statement-card').first().waitFor();
    await expect(page.getByTestId('statement-opening').first().textContent()).resolves.toBe(String(statement.cards[0].opening_balance));
    await expect(page.getByTestId('statement-closing').first().textContent()).resolves.toBe(statement.cards[0].closing_balance.toLocaleString('en'));
    expect(statement.cards[0].closing_balance).toBe(SEED.balanceNow);
  });

  it('erases a customer after showing what it will remove, and lists the erasure with its record on the chain', async () => {
    await open('/erasures');
    // The seed's erasure is listed, done.
    await page.getByTestId('erasure-row').filter({ hasText: SEED.erasedCustomer }).filter({ hasText: 'done' }).waitFor();
    await page.getByLabel('Customer (cust_… or your source id)').fill(`${SEED.erasableCustomer}@example.com`);
    await page.getByRole('button', { name: 'Review' }).click();
    const preview = await post('/admin/erasures/preview', { customer: SEED.erasableCustomer });
    await expect(page.getByTestId('preview-events').textContent()).resolves.toBe(String(preview.events));
    expect(preview.events).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Erase for good' }).click();
    await page.getByTestId('erasure-started').waitFor();
    await page.getByTestId('erasure-row').filter({ hasText: SEED.erasableCustomer }).filter({ hasText: 'done' }).waitFor({ timeout: 20_000 });
    const [erasure] = (await api('/admin/erasures')).data.filter((e: any) => e.customer_id === SEED.erasableCustomer);
    await expect(page.getByTestId('erasure-row').filter({ hasText: SEED.erasableCustomer }).textContent()).resolves.toContain(erasure.result.record_event_id);
    // A second review (by id: the source id was an email, and is gone) says it is done already, and offers no button.
    await page.getByLabel('Customer (cust_… or your source id)').fill(SEED.erasableCustomer);
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('erasure-preview').filter({ hasText: 'already erased' }).waitFor();
    expect(await page.getByRole('button', { name: 'Erase for good' }).count()).toBe(0);
  });

  it('shows the last verify of the log on the overview', async () => {
    await open('/');
    const last = (await api('/log/verification')).last;
    expect(last).toMatchObject({ ok: true, erasures: 1 });
    await page.getByTestId('verification').filter({ hasText: 'the log checks out' }).waitFor();
    await expect(page.getByTestId('verification').textContent()).resolves.toContain(`${last.checked} links`);
  });

  it('meets WCAG 2 AA on every view: axe-core finds no serious or critical violation', async () => {
    // Evaluated through the browser's debugging protocol, which the console's CSP does not govern (no inline script is added).
    const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const views = [
      '/',
      '/inbox',
      '/inbox?tab=refused',
      '/events/evt_ann_accrual_1',
      `/customers?q=ann`,
      `/customers/${SEED.customer}`,
      `/customers/${SEED.customer}/statement?from=${SEED.reportPeriod.from}&to=${SEED.reportPeriod.to}`,
      '/projections',
      `/reports?from=${SEED.reportPeriod.from}&to=${SEED.reportPeriod.to}`,
      `/reports?from=${SEED.reportPeriod.from}&to=${SEED.reportPeriod.to}&campaign=${SEED.campaign}`,
      '/reports?from=2024-02-01&to=2024-03-01',
      '/reconciliation',
      '/erasures',
    ];
    const found: string[] = [];
    for (const view of views) {
      await open(view);
      await page.getByRole('main').getByRole('heading').first().waitFor();
      await page.waitForTimeout(700); // the view's queries answer
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const result = await (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return result.violations
          .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
          .map((v: any) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(' | ')}`);
      });
      for (const v of violations) found.push(`${view}: ${v}`);
    }
    expect(found).toEqual([]);
  }, 120_000);

  it('downloads the period report as CSV with the totals the API gives', async () => {
    const { from, to } = SEED.reportPeriod;
    await open(`/reports?from=${from}&to=${to}`);
    await page.getByTestId('report-campaign').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    const header = csv[0].split(',');
    const coffee = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v]))).find((r) => r.campaign_id === SEED.campaign)!;
    const report = await api(`/reports/points?from=${from}T00:00:00Z&to=${to}T00:00:00Z`);
    const expected = report.campaigns.find((c: any) => c.campaign_id === SEED.campaign);
    expect(Number(coffee.opening_balance)).toBe(expected.opening_balance);
    expect(Number(coffee.closing_balance)).toBe(expected.closing_balance);
    expect(expected.closing_balance).toBe(SEED.balanceNow);
    const movements = Object.keys(expected.movements).reduce((s, k) => s + Number(coffee[k] ?? 0), 0);
    expect(Number(coffee.opening_balance) + movements).toBe(Number(coffee.closing_balance));
    await expect(page.getByTestId('closing').first().textContent()).resolves.toBe(String(expected.closing_balance));
    // Pending points: the API's figures, in the page and the CSV.
    expect(expected.pending).toMatchObject({ opening: 0, added: 120, cancelled: -40, closing: SEED.pendingNow });
    await expect(page.getByTestId('pending-closing').first().textContent()).resolves.toBe(String(SEED.pendingNow));
    expect(Number(coffee.pending_closing)).toBe(SEED.pendingNow);
    expect(coffee.expiry_basis).toBe('booked');

    // Expiries by their due date: the choice goes to the URL, the report and its CSV.
    await page.getByLabel('Expiries count when').selectOption('due');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/expiry_basis=due/);
    const [dueDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const dueCsv = readFileSync((await dueDownload.path())!, 'utf8').trim().split(/\r?\n/);
    expect(dueCsv.slice(1).every((line) => line.split(',')[dueCsv[0].split(',').indexOf('expiry_basis')] === 'due')).toBe(true);
  });

  it("shows a campaign's deferred revenue and how its past points behaved, with the API's figures", async () => {
    const { from, to } = SEED.reportPeriod;
    await open(`/reports?from=${from}&to=${to}&campaign=${SEED.campaign}`);
    const report = await api(`/reports/points?from=${from}T00:00:00Z&to=${to}T00:00:00Z&campaign_id=${SEED.campaign}`);
    const revenue = report.campaigns[0].deferred_revenue;
    // Ann earned 100 and 80; the 50 added by hand never reached the ledger (the seed's gap), so it is not issued here.
    expect(revenue.closing).toMatchObject({ points_issued: 180, allocated_value: '1.80', expected_redemption_share: '0.80' });
    await expect(page.getByTestId('recognised-in-period').textContent()).resolves.toBe(`${revenue.recognised_in_period} EUR`);
    await expect(page.getByTestId('report-deferred-revenue').getByRole('row', { name: /^Deferred revenue \d/ }).textContent()).resolves.toContain(`${revenue.closing.deferred} EUR`);

    const triangle = await api(`/reports/redemption-triangle?campaign_id=${SEED.campaign}&to=2024-03`);
    const february = triangle.rows.find((r: any) => r.issue_month === '2024-02');
    expect(february).toMatchObject({ points_issued: 100 });
    const row = page.getByTestId('redemption-triangle').getByRole('row', { name: /^2024-02/ });
    await expect(row.getByRole('cell').nth(0).textContent()).resolves.toBe('100');
    // February's 30 expired points: 30 % of the month's 100, shown beside the redeemed share.
    await expect(row.textContent()).resolves.toContain(`(${(february.cells[0].expired_share * 100).toFixed(1)} %)`);
  });

  it('charts what will expire by month, with where and when the figures were read, as the API gives them', async () => {
    await open(`/reports?from=${SEED.reportPeriod.from}&to=${SEED.reportPeriod.to}`);
    const expiring = await api('/reports/expiring-points?months=12');
    const tea = expiring.campaigns.find((c: any) => c.campaign_id === SEED.expiringCampaign);
    expect(tea).toMatchObject({ source: 'webhooks', total_points: SEED.expiringNextMonth });
    expect(tea.months[1].points).toBe(SEED.expiringNextMonth);
    const row = page.getByTestId('expiring-campaigns').getByRole('row', { name: /Tea Club/ });
    await expect(row.textContent()).resolves.toContain(String(SEED.expiringNextMonth));
    await expect(row.textContent()).resolves.toContain("webhooks (each card's next expiry only)");
    await expect(row.locator('time').getAttribute('datetime')).resolves.toBe(tea.read_at);
  });

  it('closes a month from the report page, shows the report kept then, and reopens it with a reason', async () => {
    await open('/reports?from=2024-02-01&to=2024-03-01');
    await page.getByTestId('period-status').getByText('open').waitFor();
    await page.getByRole('button', { name: 'Close 2024-02' }).click();
    await page.getByTestId('period-status').getByText('closed').waitFor();
    const kept = await api('/reports/points?from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z');
    expect(kept.period).toMatchObject({ month: '2024-02', status: 'closed' });
    await expect(page.getByTestId('period-status').textContent()).resolves.toContain(`log position ${kept.period.log_position}`);
    await expect(page.getByTestId('closing').first().textContent()).resolves.toBe(String(kept.campaigns.find((c: any) => c.campaign_id === SEED.campaign).closing_balance));

    await page.getByLabel('Why reopen it (kept in the log)').fill('a late invoice');
    await page.getByRole('button', { name: 'Reopen 2024-02' }).click();
    await page.getByTestId('period-status').getByText('reopened').waitFor();
    await expect(page.getByTestId('period-status').textContent()).resolves.toContain('a late invoice');
    expect((await api('/reports/points?from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z')).period).toMatchObject({ status: 'reopened', reopen_reason: 'a late invoice' });
  });

  it('goes back to the sign-in when the service answers 401', async () => {
    await open('/');
    await page.getByText('Signed in with: admin token').waitFor();
    await page.evaluate(() => sessionStorage.setItem('ledger-console-token', 'withdrawn-token-0123456789'));
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByLabel('Access token').waitFor();
    await page.getByLabel('Access token').fill(READER);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in with: read token').waitFor();
    // A read token sees no actions.
    await open('/projections');
    await page.getByText('Sign in with the admin token to rebuild or retry.').waitFor();
    expect(await page.getByRole('button', { name: /Rebuild/ }).count()).toBe(0);
  });

  it('is driven by the keyboard: the views are links in the tab order', async () => {
    await open('/');
    await page.getByText('Signed in with').waitFor();
    await page.getByRole('link', { name: 'Reports' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/reports$/);
  });

  it('serves the console with a CSP that allows no inline script', async () => {
    const response = await fetch(`${service.baseUrl}/console/customers/cust_ann?as_of=2024-02-01`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await fetch(`${service.baseUrl}/console/assets/missing.js`)).status).toBe(404);
  });
});
