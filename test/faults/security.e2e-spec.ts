import { ConfigError, loadConfig } from '../../apps/ledger/src/config/ledger-config';
import { signPayload } from '../../libs/voucherify/src';
import { ServiceProcess } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, loadFixtureData, postWebhook } from '../support/voucherify';

const SECRET = 'whsec-security-0123456789abcdef';
const READ_TOKEN = 'read-token-0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

describe('read API tokens', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], readTokens: ['another-token-0123456789', READ_TOKEN] });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it.each(['/customers/cust_x', '/events', '/projections', '/vouchers/X', '/reward-redemptions/rewr_x'])(
    'refuses %s without a valid token and serves it with one',
    async (path) => {
      expect((await fetch(`${service.baseUrl}${path}`)).status).toBe(401);
      expect((await fetch(`${service.baseUrl}${path}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const allowed = await fetch(`${service.baseUrl}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
      expect([200, 404]).toContain(allowed.status);
    },
  );

  it('keeps the webhook, health and metrics outside the read tokens', async () => {
    const body = JSON.stringify(envelope('customer.created', { customer: { id: 'cust_sec' } }));
    expect((await postWebhook(service.baseUrl, body, { secret: SECRET })).status).toBe(202);
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(200);
    expect((await fetch(`${service.baseUrl}/metrics`)).status).toBe(200);
  });

  it('sends security headers, on refusals too, with the CSP the Swagger UI needs', async () => {
    const ok = await fetch(`${service.baseUrl}/health/live`);
    const refused = await fetch(`${service.baseUrl}/webhooks/voucherify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    for (const response of [ok, refused]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'unsafe-inline'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });
});

describe('production refuses an open read API', () => {
  it('unless READ_API_PUBLIC=true is set on purpose', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', VOUCHERIFY_WEBHOOK_SECRETS: SECRET })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', VOUCHERIFY_WEBHOOK_SECRETS: SECRET })).toThrow(/READ_TOKENS: required when NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', VOUCHERIFY_WEBHOOK_SECRETS: SECRET, READ_API_PUBLIC: 'true' }).readApiPublic).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', VOUCHERIFY_WEBHOOK_SECRETS: SECRET, READ_TOKENS: READ_TOKEN }).readTokens).toEqual([READ_TOKEN]);
  });
});

describe('logs', () => {
  let db: TestDatabase;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await ServiceProcess.start({
      DATABASE_URL: db.url,
      LOG_LEVEL: 'debug',
      VOUCHERIFY_WEBHOOK_SECRETS: SECRET,
      READ_TOKENS: READ_TOKEN,
      ADMIN_TOKEN,
    });
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('never contain a secret, a token, a signature or a body, and have one line per request with id and status', async () => {
    const body = JSON.stringify(envelope('customer.reward_redemptions.completed', loadFixtureData('customer.reward_redemptions.completed')));
    const signature = signPayload(SECRET, body);
    await postWebhook(service.baseUrl, body, { signature });
    await postWebhook(service.baseUrl, body, { secret: 'wrong-secret-0123456789' });
    await postWebhook(service.baseUrl, '{broken', { signature });
    await fetch(`${service.baseUrl}/customers/cust_2myfc5acSBgoMV72R5tyTBc8`, { headers: { authorization: `Bearer ${READ_TOKEN}`, 'x-request-id': 'trace-me-42' } });
    await fetch(`${service.baseUrl}/customers/x`, { headers: { authorization: 'Bearer not-the-token-123456' } });
    await fetch(`${service.baseUrl}/admin/projections`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    await new Promise((r) => setTimeout(r, 300));

    const logs = service.output;
    for (const secret of [SECRET, READ_TOKEN, ADMIN_TOKEN, signature, 'not-the-token-123456', 'John Demo', 'tKSTdVk2']) {
      expect(logs).not.toContain(secret);
    }
    const requestLines = logs
      .split('\n')
      .filter((l) => l.includes('"responseTime"'))
      .map((l) => JSON.parse(l));
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    for (const line of requestLines) expect(line).toMatchObject({ req: { id: expect.any(String), method: expect.any(String) }, res: { status: expect.any(Number) } });
    // The webhook route is mounted on Fastify directly (not a Nest controller): still logged.
    const webhookStatuses = requestLines.filter((l) => l.req.url === '/webhooks/voucherify').map((l) => l.res.status);
    expect(webhookStatuses.sort()).toEqual([202, 401, 401]); // "{broken" carries the signature of another body
    expect(requestLines.find((l) => l.req.id === 'trace-me-42')).toMatchObject({ req: { method: 'GET', url: '/customers/cust_2myfc5acSBgoMV72R5tyTBc8' } });
  }, 60_000);
});
