import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { servedRoutes } from '../../apps/ledger/src/http/served-routes';
import { RefusalCounts } from '../../apps/ledger/src/rejected-deliveries/refusal-counts';
import { Seeded, seedService, SEED_ADMIN, SEED_READ, SEED_SECRET } from '../support/contract-seed';
import { OpenApiValidator } from '../support/openapi-validator';
import { SseClient } from '../support/sse-client';
import { FakeVoucherify, startFakeVoucherify } from '../support/fake-voucherify';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, loadFixtureData } from '../support/voucherify';
import { signPayload } from '../../libs/voucherify/src';

/**
 * The OpenAPI document is the console's typed client and every integrator's contract: each
 * route of the document is called against a real seeded service, with the read and the admin
 * token, and each real answer (status, content type, body) must be one the document describes.
 * A route served but not documented, or documented but not served, fails too.
 */

// Served on purpose without being documented: the document itself and Prometheus's scrape.
// The console's files (apps/console) are a web app, not API.
const UNDOCUMENTED = [/^\/docs(\/|-json|-yaml|$)/, /^\/metrics$/, /^\/console(\/|$)/];

// Documented answers no seeded service can give on demand: retrying a parked event needs a
// projection to fail first (test/faults covers it).
const SUCCESS_NOT_CALLED = ['200 POST /admin/dead-letters/{id}/retry'];

interface Call {
  /** Path with its parameters filled and its query. */
  path: string;
  status: number;
  token?: 'read' | 'admin' | 'none';
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  contentType?: string;
  /** An event stream: read until its first event, which must be an EventSummaryDto. */
  stream?: boolean;
}

const BIG = 'x'.repeat(1100 * 1024);
const signed = (body: string) => ({ 'x-voucherify-signature': signPayload(SEED_SECRET, body) });

/** The calls made for each operation of the document (its answers of every kind a test can cause). */
/** The fixtures' other customer (John Demo, of the reward redemptions): the one the contract erases. */
const ERASED = 'cust_2myfc5acSBgoMV72R5tyTBc8';

function callsFor(s: Seeded, reconciliationId: string, erasureId: string): Record<string, Call[]> {
  const c = s.customerId;
  const duplicate = JSON.stringify(envelope('voucher.published', loadFixtureData('voucher.published'), { eventId: 'ev_contract_dup' }));
  const conflicting = JSON.stringify(envelope('voucher.published', { changed: true }, { eventId: 'ev_contract_dup' }));
  const json = 'application/json';
  return {
    'GET /events': [
      { path: '/events?limit=3', status: 200 },
      { path: '/events?after=3&limit=1000', status: 200 },
      { path: '/events?limit=0', status: 400 },
    ],
    'GET /customers/{id}/statement': [
      { path: `/customers/${s.customerId}/statement?from=2024-01-01T00:00:00Z&to=2024-06-01T00:00:00Z`, status: 200 },
      { path: `/customers/${s.customerId}/statement?from=2024-06-01T00:00:00Z&to=2024-01-01T00:00:00Z`, status: 400 },
      { path: '/customers/cust_nobody/statement?from=2024-01-01T00:00:00Z&to=2024-06-01T00:00:00Z', status: 404 },
    ],
    'GET /customers': [
      { path: '/customers?q=cust_', status: 200 },
      { path: '/customers?q=ab', status: 400 },
    ],
    'GET /log/verification': [{ path: '/log/verification', status: 200 }],
    'GET /events/received-per-minute': [
      { path: '/events/received-per-minute', status: 200 },
      { path: '/events/received-per-minute?from=2000-01-01T00:00:00Z', status: 400 },
    ],
    'GET /events/stream': [
      { path: '/events/stream', status: 200, stream: true },
      { path: '/events/stream?after=x', status: 400 },
    ],
    'GET /events/{eventId}': [{ path: `/events/${s.eventId}`, status: 200 }, { path: '/events/ev_none', status: 404 }],
    'GET /events/{eventId}/raw': [{ path: `/events/${s.eventId}/raw`, status: 200 }, { path: '/events/ev_none/raw', status: 404 }],
    'GET /events/{eventId}/effects': [{ path: `/events/${s.eventId}/effects`, status: 200 }, { path: '/events/ev_none/effects', status: 404 }],
    'GET /customers/{id}': [
      { path: `/customers/${c}`, status: 200 },
      { path: `/customers/${c}?as_of=2024-02-02T00:00:00Z`, status: 200 },
      { path: '/customers/cust_none', status: 404 },
      { path: `/customers/${c}?as_of=soon`, status: 400 },
    ],
    'GET /customers/{id}/loyalty-cards': [
      { path: `/customers/${c}/loyalty-cards`, status: 200 },
      { path: `/customers/${c}/loyalty-cards?as_of=2024-02-02T00:00:00Z`, status: 200 },
      { path: '/customers/cust_none/loyalty-cards', status: 404 },
    ],
    'GET /customers/{id}/points-history': [
      { path: `/customers/${c}/points-history?limit=1`, status: 200 },
      { path: `/customers/${c}/points-history?cursor=nope`, status: 400 },
      { path: '/customers/cust_none/points-history', status: 404 },
    ],
    'GET /customers/{id}/reward-redemptions': [
      { path: '/customers/cust_2myfc5acSBgoMV72R5tyTBc8/reward-redemptions', status: 200 },
      { path: '/customers/cust_none/reward-redemptions', status: 404 },
    ],
    'GET /customers/{id}/loyalty-tiers': [{ path: `/customers/${c}/loyalty-tiers`, status: 200 }, { path: '/customers/cust_none/loyalty-tiers', status: 404 }],
    'GET /customers/{id}/vouchers': [{ path: `/customers/${c}/vouchers`, status: 200 }, { path: '/customers/cust_none/vouchers', status: 404 }],
    'GET /loyalty-cards/{idOrCode}': [
      { path: `/loyalty-cards/${s.cardCode}`, status: 200 },
      { path: `/loyalty-cards/${s.cardCode}?as_of=2024-02-02T00:00:00Z`, status: 200 },
      { path: `/loyalty-cards/${s.cardCode}?as_of=2000-01-01T00:00:00Z`, status: 404 },
    ],
    'GET /loyalty-cards/{idOrCode}/ledger': [
      { path: `/loyalty-cards/${s.cardCode}/ledger?limit=1`, status: 200 },
      { path: '/loyalty-cards/none/ledger', status: 404 },
      { path: `/loyalty-cards/${s.cardCode}/ledger?limit=501`, status: 400 },
    ],
    'GET /loyalty-cards/{idOrCode}/pending-points': [
      { path: `/loyalty-cards/${s.cardCode}/pending-points`, status: 200 },
      { path: '/loyalty-cards/none/pending-points', status: 404 },
      { path: `/loyalty-cards/${s.cardCode}/pending-points?cursor=x`, status: 400 },
    ],
    'GET /loyalty-cards/{idOrCode}/gaps': [{ path: `/loyalty-cards/${s.cardCode}/gaps`, status: 200 }, { path: '/loyalty-cards/none/gaps', status: 404 }],
    'GET /gaps': [{ path: '/gaps?limit=1', status: 200 }, { path: '/gaps?cursor=nope', status: 400 }],
    'GET /reports/points': [
      { path: '/reports/points?from=2024-01-01T00:00:00Z&to=2024-03-01T00:00:00Z', status: 200 },
      { path: '/reports/points?from=2024-01-01T00:00:00Z&to=2024-03-01T00:00:00Z&format=csv', status: 200 },
      { path: '/reports/points?from=2024-03-01T00:00:00Z&to=2024-01-01T00:00:00Z', status: 400 },
    ],
    'GET /reports/expiring-points': [
      { path: '/reports/expiring-points', status: 200 },
      { path: '/reports/expiring-points?months=3&format=csv', status: 200 },
      { path: '/reports/expiring-points?months=99', status: 400 },
    ],
    'POST /admin/expiring-points/refresh': [
      { method: 'POST', path: '/admin/expiring-points/refresh', status: 202, token: 'admin', contentType: json, body: '{"campaign_ids":["camp_coffee"]}' },
      { method: 'POST', path: '/admin/expiring-points/refresh', status: 400, token: 'admin', contentType: json, body: '{"campaign_ids":"x"}' },
    ],
    'GET /reports/redemption-triangle': [
      { path: '/reports/redemption-triangle?campaign_id=camp_coffee&from=2024-01&to=2024-03', status: 200 },
      { path: '/reports/redemption-triangle?campaign_id=camp_coffee&from=2024-03&to=2024-01', status: 400 },
    ],
    'GET /reward-redemptions/{id}': [{ path: `/reward-redemptions/${s.rewardRedemptionId}`, status: 200 }, { path: '/reward-redemptions/rewr_none', status: 404 }],
    'GET /vouchers/{idOrCode}': [{ path: `/vouchers/${s.voucherCode}`, status: 200 }, { path: '/vouchers/none', status: 404 }],
    'GET /projections': [{ path: '/projections', status: 200 }],
    'POST /admin/projections/{name}/rebuild': [
      { method: 'POST', path: '/admin/projections/loyalty_tiers/rebuild', status: 202, token: 'admin' },
      { method: 'POST', path: '/admin/projections/none/rebuild', status: 404, token: 'admin' },
    ],
    'GET /admin/projections': [{ path: '/admin/projections', status: 200, token: 'admin' }],
    'GET /admin/dead-letters': [
      { path: '/admin/dead-letters', status: 200, token: 'admin' },
      { path: '/admin/dead-letters?projection=none', status: 400, token: 'admin' },
    ],
    'POST /admin/dead-letters/{id}/retry': [
      { method: 'POST', path: '/admin/dead-letters/999/retry', status: 404, token: 'admin' },
      { method: 'POST', path: '/admin/dead-letters/x/retry', status: 400, token: 'admin' },
    ],
    'PUT /admin/campaigns/{campaignId}/point-value': [
      {
        method: 'PUT',
        path: `/admin/campaigns/${s.campaignId}/point-value`,
        status: 200,
        token: 'admin',
        contentType: json,
        body: JSON.stringify({ value: '0.0200', currency: 'EUR', effective_from: '2024-02-15T00:00:00Z' }),
      },
      { method: 'PUT', path: `/admin/campaigns/${s.campaignId}/point-value`, status: 400, token: 'admin', contentType: json, body: '{"value":"x"}' },
    ],
    'PUT /admin/campaigns/{campaignId}/revenue-estimate': [
      {
        method: 'PUT',
        path: `/admin/campaigns/${s.campaignId}/revenue-estimate`,
        status: 200,
        token: 'admin',
        contentType: json,
        body: JSON.stringify({ value_per_point: '0.0100', expected_redemption_share: '0.75', currency: 'EUR', effective_from: '2024-02-15T00:00:00Z' }),
      },
      { method: 'PUT', path: `/admin/campaigns/${s.campaignId}/revenue-estimate`, status: 400, token: 'admin', contentType: json, body: '{"expected_redemption_share":"2"}' },
    ],
    // After the reports above: a closed month changes what a range across it answers.
    'POST /admin/periods/{month}/close': [
      { method: 'POST', path: '/admin/periods/2023-12/close', status: 200, token: 'admin' },
      { method: 'POST', path: '/admin/periods/2023-12/close', status: 409, token: 'admin' },
      { method: 'POST', path: '/admin/periods/2023-13/close', status: 400, token: 'admin' },
    ],
    'GET /reports/periods': [{ path: '/reports/periods', status: 200 }],
    'POST /admin/periods/{month}/reopen': [
      { method: 'POST', path: '/admin/periods/2023-12/reopen', status: 200, token: 'admin', contentType: json, body: '{"reason":"a late invoice"}' },
      { method: 'POST', path: '/admin/periods/2023-12/reopen', status: 409, token: 'admin', contentType: json, body: '{"reason":"twice"}' },
      { method: 'POST', path: '/admin/periods/2023-12/reopen', status: 400, token: 'admin', contentType: json, body: '{}' },
    ],
    'GET /admin/rejected-deliveries': [
      { path: '/admin/rejected-deliveries', status: 200, token: 'admin' },
      { path: '/admin/rejected-deliveries?status=99', status: 400, token: 'admin' },
    ],
    'GET /admin/rejected-deliveries/counts': [
      { path: '/admin/rejected-deliveries/counts', status: 200, token: 'admin' },
      { path: '/admin/rejected-deliveries/counts?from=x', status: 400, token: 'admin' },
    ],
    'GET /health/live': [{ path: '/health/live', status: 200, token: 'none' }],
    // 503 (silent) needs an hour without webhooks: test/reconcile covers it.
    'GET /health/deliveries': [{ path: '/health/deliveries', status: 200, token: 'none' }],
    'GET /admin/reconciliations': [
      { path: '/admin/reconciliations', status: 200, token: 'admin' },
      { path: '/admin/reconciliations?limit=0', status: 400, token: 'admin' },
    ],
    'POST /admin/reconciliations': [
      { method: 'POST', path: '/admin/reconciliations', status: 202, token: 'admin', contentType: json, body: JSON.stringify({ campaign_ids: ['camp_contract_other'] }) },
      { method: 'POST', path: '/admin/reconciliations', status: 400, token: 'admin', contentType: json, body: '{"gaps_only":"yes"}' },
      { method: 'POST', path: '/admin/reconciliations', status: 422, token: 'admin', contentType: json, body: JSON.stringify({ campaign_ids: ['camp_contract_budget'], max_calls: 1 }) },
    ],
    'POST /admin/reconciliations/plan': [
      { method: 'POST', path: '/admin/reconciliations/plan', status: 200, token: 'admin', contentType: json, body: JSON.stringify({ campaign_ids: ['camp_contract_other'], since: '2026-01-01T00:00:00Z' }) },
      { method: 'POST', path: '/admin/reconciliations/plan', status: 400, token: 'admin', contentType: json, body: '{"max_calls":0}' },
    ],
    'GET /admin/reconciliations/{id}': [
      { path: `/admin/reconciliations/${reconciliationId}`, status: 200, token: 'admin' },
      { path: '/admin/reconciliations/6f1c1f8e-4f57-4c8e-9c1e-1d2b3c4d5e6f', status: 404, token: 'admin' },
      { path: '/admin/reconciliations/x', status: 400, token: 'admin' },
    ],
    'GET /health/ready': [{ path: '/health/ready', status: 200, token: 'none' }],
    'POST /admin/erasures/preview': [
      { method: 'POST', path: '/admin/erasures/preview', status: 200, token: 'admin', contentType: json, body: JSON.stringify({ customer: s.customerId }) },
      { method: 'POST', path: '/admin/erasures/preview', status: 404, token: 'admin', contentType: json, body: JSON.stringify({ customer: 'cust_never_seen' }) },
      { method: 'POST', path: '/admin/erasures/preview', status: 400, token: 'admin', contentType: json, body: '{"customer":""}' },
    ],
    'POST /admin/erasures': [
      { method: 'POST', path: '/admin/erasures', status: 202, token: 'admin', contentType: json, body: JSON.stringify({ customer: 'cust_contract_erasable' }) },
      { method: 'POST', path: '/admin/erasures', status: 409, token: 'admin', contentType: json, body: JSON.stringify({ customer: ERASED }) },
      { method: 'POST', path: '/admin/erasures', status: 404, token: 'admin', contentType: json, body: JSON.stringify({ customer: 'cust_never_seen' }) },
      { method: 'POST', path: '/admin/erasures', status: 400, token: 'admin', contentType: json, body: '{"reason":1}' },
    ],
    'GET /admin/erasures': [
      { path: '/admin/erasures', status: 200, token: 'admin' },
      { path: '/admin/erasures?limit=0', status: 400, token: 'admin' },
    ],
    'GET /admin/erasures/{id}': [
      { path: `/admin/erasures/${erasureId}`, status: 200, token: 'admin' },
      { path: '/admin/erasures/er_none', status: 404, token: 'admin' },
    ],
    'POST /webhooks/voucherify': [
      { method: 'POST', path: '/webhooks/voucherify', status: 202, token: 'none', contentType: json, body: duplicate, headers: signed(duplicate) },
      { method: 'POST', path: '/webhooks/voucherify', status: 200, token: 'none', contentType: json, body: duplicate, headers: signed(duplicate) },
      { method: 'POST', path: '/webhooks/voucherify', status: 409, token: 'none', contentType: json, body: conflicting, headers: signed(conflicting) },
      { method: 'POST', path: '/webhooks/voucherify', status: 400, token: 'none', contentType: json, body: '{', headers: signed('{') },
      { method: 'POST', path: '/webhooks/voucherify', status: 401, token: 'none', contentType: json, body: '{}' },
      { method: 'POST', path: '/webhooks/voucherify', status: 413, token: 'none', contentType: json, body: BIG },
      { method: 'POST', path: '/webhooks/voucherify', status: 415, token: 'none', contentType: 'text/plain', body: 'hi' },
      { method: 'POST', path: '/webhooks/voucherify', status: 422, token: 'none', contentType: json, body: '[1]', headers: signed('[1]') },
    ],
  };
}

const toOpenApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document against the running service', () => {
  let db: TestDatabase;
  let service: TestApp;
  let voucherify: FakeVoucherify;
  let reconciliationId: string;
  let erasureId: string;
  let seeded: Seeded;
  let document: any;
  let validator: OpenApiValidator;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Voucherify's API faked with no cards: a reconciliation runs, finds nothing, and its answers are real.
    voucherify = await startFakeVoucherify(new Map());
    service = await startTestApp(db.url, {
      voucherifyAppId: voucherify.appId,
      voucherifySecretKey: voucherify.secretKey,
      voucherifyApiUrl: voucherify.url,
      webhookSecrets: [SEED_SECRET],
      adminToken: SEED_ADMIN,
      readTokens: [SEED_READ],
      projectorPollMs: 50,
      minPositionTimeoutMs: 30_000, // a loaded machine: the reads below wait for the seed to be projected
    });
    seeded = await seedService(service);
    const started = await fetch(`${service.baseUrl}/admin/reconciliations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SEED_ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ campaign_ids: [seeded.campaignId] }),
    });
    reconciliationId = (await started.json()).id;
    const erasure = await fetch(`${service.baseUrl}/admin/erasures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SEED_ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer: ERASED, reason: 'contract' }),
    });
    expect(erasure.status).toBe(202);
    erasureId = (await erasure.json()).id;
    await service.app.get(RefusalCounts).flush();
    document = await (await fetch(`${service.baseUrl}/docs-json`)).json();
    validator = new OpenApiValidator(document);
  });
  afterAll(async () => {
    await service?.close();
    await voucherify?.close();
    await db?.drop();
  });

  const operations = (): string[] =>
    Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`),
    );

  it('documents exactly the routes the service serves', () => {
    const served = servedRoutes(service.app.getHttpAdapter().getInstance())
      .filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !UNDOCUMENTED.some((p) => p.test(r.url)))
      .map((r) => `${r.method} ${toOpenApiPath(r.url)}`);
    expect(served.length).toBeGreaterThan(20);
    expect([...new Set(served)].sort()).toEqual(operations().sort());
  });

  it('is the document committed as openapi.json (npm run openapi writes it)', () => {
    const committed = JSON.parse(readFileSync(resolve(__dirname, '../../openapi.json'), 'utf8'));
    expect(document).toEqual(committed);
  });

  it('has calls for every operation, and every documented success among them', () => {
    const calls = callsFor(seeded, reconciliationId, erasureId);
    expect(Object.keys(calls).sort()).toEqual(operations().sort());
    for (const operation of operations()) {
      const [method, path] = operation.split(' ');
      const documented = Object.keys(document.paths[path][method.toLowerCase()].responses).map(Number);
      const made = calls[operation].map((c) => c.status);
      const missing = documented.filter((s) => s < 300 && !made.includes(s) && !SUCCESS_NOT_CALLED.includes(`${s} ${operation}`));
      expect({ operation, missing }).toEqual({ operation, missing: [] });
    }
  });

  /** Calls `call`, checks its status is the one expected and documented, and validates the answer. */
  async function check(operation: string, call: Call): Promise<string[]> {
    const [method, path] = operation.split(' ');
    // Reads wait until the read models hold the seed (X-Min-Position), so an answer never depends on the projector's pace.
    const headers: Record<string, string> = { 'x-min-position': String(seeded.head), ...call.headers };
    const token = call.token ?? 'read';
    if (token !== 'none') headers.authorization = `Bearer ${token === 'admin' ? SEED_ADMIN : SEED_READ}`;
    if (call.contentType) headers['content-type'] = call.contentType;
    if (call.stream) return checkStream(path, call, headers);
    const response = await fetch(`${service.baseUrl}${call.path}`, { method: call.method ?? method, headers, body: call.body });
    const text = await response.text();
    const where = `${call.method ?? method} ${call.path.slice(0, 120)} → ${response.status}`;
    if (response.status !== call.status) return [`${where}: expected ${call.status} (${text.slice(0, 300)})`];
    const documented = document.paths[path][method.toLowerCase()].responses[String(response.status)];
    if (!documented) return [`${where}: status not documented`];
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    if (!documented.content) return text.length === 0 ? [] : [`${where}: a body (${type}) where the document has none`];
    const media = documented.content[type];
    if (!media) return [`${where}: content type ${type} not documented (${Object.keys(documented.content).join(', ')})`];
    const body = type === 'application/json' ? JSON.parse(text) : text;
    return validator.problems(media.schema ?? {}, body).map((p) => `${where}: ${p}`);
  }

  async function checkStream(path: string, call: Call, headers: Record<string, string>): Promise<string[]> {
    const stream = await SseClient.open(`${service.baseUrl}${call.path}`, headers);
    const where = `GET ${call.path} → ${stream.status}`;
    try {
      if (stream.status !== call.status) return [`${where}: expected ${call.status}`];
      const type = String(stream.headers['content-type']).split(';')[0];
      if (!document.paths[path].get.responses['200'].content[type]) return [`${where}: content type ${type} not documented`];
      await stream.until(() => stream.messages.length > 0, 10_000, 'the first event');
      const event = JSON.parse(stream.messages[0].data);
      return validator.problems({ $ref: '#/components/schemas/EventSummaryDto' }, event).map((p) => `${where}: first event ${p}`);
    } finally {
      stream.close();
    }
  }

  it('answers every call as documented', async () => {
    const calls = callsFor(seeded, reconciliationId, erasureId);
    const problems: string[] = [];
    for (const [operation, list] of Object.entries(calls)) {
      for (const call of list) problems.push(...(await check(operation, call)));
    }
    expect(problems).toEqual([]);
  });

  it('answers a missing or wrong token as documented, on every route that takes one', async () => {
    const problems: string[] = [];
    for (const operation of operations()) {
      const [method, path] = operation.split(' ');
      const responses = document.paths[path][method.toLowerCase()].responses;
      if (!responses['401'] || path.startsWith('/webhooks')) continue;
      const filled = path.replace(/\{(\w+)\}/g, 'x');
      problems.push(...(await check(operation, { method, path: filled, status: 401, token: 'none' })));
      // The admin token also reads (the console signs in with one token), so a read route's wrong token is another one.
      const wrong = { authorization: `Bearer ${path.startsWith('/admin') ? SEED_READ : 'not-a-token-of-this-service-0123'}` };
      problems.push(...(await check(operation, { method, path: filled, status: 401, token: 'none', headers: wrong })));
    }
    expect(problems).toEqual([]);
  });
});
