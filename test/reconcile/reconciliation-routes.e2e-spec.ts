import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN = 'admin-token-0123456789';

async function call(app: TestApp, method: string, path: string, body?: unknown, token: string | null = ADMIN) {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

describe('the reconciliation routes', () => {
  let db: TestDatabase;
  let unconfigured: TestApp;
  let configured: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    unconfigured = await startTestApp(db.url, { adminToken: ADMIN, projector: 'off' });
    // Credentials but an API nobody answers on: the read routes never call it.
    configured = await startTestApp(db.url, {
      adminToken: ADMIN,
      projector: 'off',
      voucherifyAppId: 'app-id',
      voucherifySecretKey: 'secret-key-never-shown',
      voucherifyApiUrl: 'http://127.0.0.1:9',
    });
  }, 60_000);
  afterAll(async () => {
    await unconfigured?.close();
    await configured?.close();
    await db?.drop();
  });

  it('answer 404 saying reconciliation is not configured when Voucherify credentials are absent', async () => {
    for (const [method, path, body] of [
      ['GET', '/admin/reconciliations'],
      ['GET', '/admin/reconciliations/6f1c1f8e-4f57-4c8e-9c1e-1d2b3c4d5e6f'],
      ['POST', '/admin/reconciliations', {}],
    ] as const) {
      const answer = await call(unconfigured, method, path, body);
      expect([answer.status, answer.json.message]).toEqual([404, expect.stringContaining('not configured')]);
    }
  });

  it('need the admin token', async () => {
    expect((await call(configured, 'GET', '/admin/reconciliations', undefined, null)).status).toBe(401);
    expect((await call(configured, 'GET', '/admin/reconciliations', undefined, 'wrong-token-0123456789')).status).toBe(401);
  });

  it('list runs (none yet) and refuse malformed ids, cursors and bodies with 400', async () => {
    expect(await call(configured, 'GET', '/admin/reconciliations')).toEqual({ status: 200, json: { data: [], next_cursor: null } });
    expect((await call(configured, 'GET', '/admin/reconciliations/not-a-uuid')).status).toBe(400);
    expect((await call(configured, 'GET', '/admin/reconciliations/6f1c1f8e-4f57-4c8e-9c1e-1d2b3c4d5e6f')).status).toBe(404);
    expect((await call(configured, 'GET', '/admin/reconciliations?cursor=x')).status).toBe(400);
    expect((await call(configured, 'GET', '/admin/reconciliations?limit=0')).status).toBe(400);
    for (const body of ['nope', '[]', { gaps_only: 'yes' }, { since: 'yesterday' }, { campaign_ids: ['a\u0000b'] }, { unknown_option: true }]) {
      expect((await call(configured, 'POST', '/admin/reconciliations', body)).status).toBe(400);
    }
    // A card the ledger has never heard of, with no campaign named: 400 saying what to do.
    const unknownCard = await call(configured, 'POST', '/admin/reconciliations', { card_ids: ['v_nowhere'] });
    expect([unknownCard.status, unknownCard.json.message]).toEqual([400, expect.stringContaining('--campaign')]);
  });

  it('are described in the OpenAPI document with full response schemas', async () => {
    const doc = (await call(configured, 'GET', '/docs-json', undefined, null)).json;
    const get = doc.paths['/admin/reconciliations/{id}'].get;
    expect(get.responses['200'].content['application/json'].schema.$ref).toMatch(/ReconciliationReportDto$/);
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404']));
    expect(doc.paths['/admin/reconciliations'].get.responses['200'].content['application/json'].schema.$ref).toMatch(/ReconciliationListDto$/);
    expect(Object.keys(doc.paths['/admin/reconciliations'].post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '404', '409']));
    const report = doc.components.schemas.ReconciliationReportDto;
    const fields = JSON.stringify(report);
    for (const field of ['cards', 'cards_truncated']) expect(fields).toContain(field);
    expect(Object.keys(doc.components.schemas.CardDifferenceDto.properties)).toEqual(
      expect.arrayContaining(['campaign_id', 'card_id', 'voucherify_balance', 'ledger_balance', 'missing_here', 'unknown_to_voucherify', 'different_points', 'resolved', 'explanation']),
    );
  });
});
