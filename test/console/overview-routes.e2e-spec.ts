import { RefusalCounts } from '../../apps/ledger/src/rejected-deliveries/refusal-counts';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, loadFixtureData, postWebhook } from '../support/voucherify';

const SECRET = 'overview-secret-0123456789';
const ADMIN = 'admin-token-0123456789abcdef';
const READ = 'read-token-0123456789abcdef';

/** The routes an operator's overview reads: refused deliveries, refusals per minute, webhooks per minute. */
describe('overview routes', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], adminToken: ADMIN, readTokens: [READ], projector: 'off' });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const get = async (path: string, token = ADMIN) => {
    const response = await fetch(`${service.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, json: (await response.json()) as any };
  };

  describe('GET /admin/rejected-deliveries', () => {
    // Three signed refusals, oldest first: not JSON (with invalid UTF-8), not an envelope, and a conflict.
    const notJson = Buffer.concat([Buffer.from('{"broken": "'), Buffer.from([0xff, 0xfe]), Buffer.from('x'.repeat(3000))]);
    beforeAll(async () => {
      expect((await postWebhook(service.baseUrl, notJson, { secret: SECRET })).status).toBe(400);
      expect((await postWebhook(service.baseUrl, '[1,2,3]', { secret: SECRET })).status).toBe(422);
      const data = loadFixtureData('voucher.published');
      expect((await postWebhook(service.baseUrl, JSON.stringify(envelope('voucher.published', data, { eventId: 'ev_conflict_1' })), { secret: SECRET })).status).toBe(202);
      const changed = envelope('voucher.published', { ...data, changed: true }, { eventId: 'ev_conflict_1' });
      expect((await postWebhook(service.baseUrl, JSON.stringify(changed), { secret: SECRET })).status).toBe(409);
    });

    it('lists them newest first with reason, time, kept headers and the start of the body', async () => {
      const { status, json } = await get('/admin/rejected-deliveries');
      expect(status).toBe(200);
      expect(json.data.map((r: any) => [r.reason, r.status_code])).toEqual([
        ['event_id_conflict', 409],
        ['invalid_envelope', 422],
        ['malformed_json', 400],
      ]);
      const [conflict, , broken] = json.data;
      expect(conflict.event_id).toBe('ev_conflict_1');
      expect(broken.request_headers).toMatchObject({ 'content-type': 'application/json', 'x-voucherify-signature': expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(broken.body_size).toBe(notJson.length);
      expect(broken.body_truncated).toBe(true);
      expect(broken.body_start.startsWith('{"broken": "\uFFFD\uFFFDxxx')).toBe(true);
      expect(Buffer.byteLength(broken.body_start)).toBeLessThanOrEqual(1024 + 2 * 2); // two bad bytes became 3-byte U+FFFD
      expect(new Date(broken.rejected_at).getTime()).toBeLessThanOrEqual(new Date(conflict.rejected_at).getTime());
      expect(json.next_cursor).toBeNull();
    });

    it('pages with next_cursor, nothing missed or doubled', async () => {
      const first = await get('/admin/rejected-deliveries?limit=2');
      expect(first.json.data).toHaveLength(2);
      expect(first.json.next_cursor).toEqual(expect.any(String));
      const second = await get(`/admin/rejected-deliveries?limit=2&cursor=${first.json.next_cursor}`);
      expect(second.json.data.map((r: any) => r.reason)).toEqual(['malformed_json']);
      expect(second.json.next_cursor).toBeNull();
    });

    it('filters by reason, status and time range', async () => {
      expect((await get('/admin/rejected-deliveries?reason=invalid_envelope')).json.data.map((r: any) => r.status_code)).toEqual([422]);
      expect((await get('/admin/rejected-deliveries?status=400')).json.data.map((r: any) => r.reason)).toEqual(['malformed_json']);
      const all = (await get('/admin/rejected-deliveries')).json.data;
      const newest = all[0].rejected_at;
      expect((await get(`/admin/rejected-deliveries?from=${newest}`)).json.data.map((r: any) => r.reason)).toEqual(['event_id_conflict']);
      expect((await get(`/admin/rejected-deliveries?to=${all[2].rejected_at}`)).json.data).toEqual([]);
      expect((await get('/admin/rejected-deliveries?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).json.data).toEqual([]);
    });

    it.each(['limit=0', 'limit=501', 'status=200', 'status=abc', 'cursor=nope', 'from=yesterday', 'reason=a%00b', 'other=1'])(
      'answers 400 for %s',
      async (query) => {
        const { status, json } = await get(`/admin/rejected-deliveries?${query}`);
        expect(status).toBe(400);
        expect(json).toMatchObject({ status: 400, code: 'bad_request' });
      },
    );

    it('answers only to the admin token', async () => {
      expect((await get('/admin/rejected-deliveries', READ)).status).toBe(401);
      expect((await get('/admin/rejected-deliveries/counts', READ)).status).toBe(401);
    });
  });

  describe('GET /admin/rejected-deliveries/counts', () => {
    it('counts unauthenticated and signed refusals per minute and reason', async () => {
      const body = JSON.stringify(envelope('voucher.published', {}));
      for (let i = 0; i < 3; i++) expect((await postWebhook(service.baseUrl, body, { signature: 'f'.repeat(64) })).status).toBe(401);
      await service.app.get(RefusalCounts).flush();
      const { status, json } = await get('/admin/rejected-deliveries/counts');
      expect(status).toBe(200);
      const total = (authenticated: boolean, reason: string) =>
        json.data.filter((c: any) => c.authenticated === authenticated && c.reason === reason).reduce((n: number, c: any) => n + c.deliveries, 0);
      expect(total(false, 'invalid_signature')).toBe(3);
      expect(total(true, 'malformed_json')).toBe(1);
      expect(total(true, 'invalid_envelope')).toBe(1);
      expect(json.data.every((c: any) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/.test(c.minute))).toBe(true);
      expect(new Date(json.to).getTime() - new Date(json.from).getTime()).toBe(24 * 3_600_000);
    });

    it('keeps to the range asked and refuses one longer than 7 days', async () => {
      expect((await get('/admin/rejected-deliveries/counts?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).json.data).toEqual([]);
      expect((await get('/admin/rejected-deliveries/counts?from=2000-01-01T00:00:00Z&to=2000-01-09T00:00:00Z')).status).toBe(400);
      expect((await get('/admin/rejected-deliveries/counts?from=2000-01-02T00:00:00Z&to=2000-01-01T00:00:00Z')).status).toBe(400);
    });
  });

  describe('GET /events/received-per-minute', () => {
    it('counts stored webhooks per minute and says when the newest arrived', async () => {
      const before = await get('/events/received-per-minute', READ);
      expect(before.status).toBe(200);
      const counted = (json: any) => json.data.reduce((n: number, m: any) => n + m.webhooks, 0);
      for (let i = 0; i < 2; i++) {
        const body = JSON.stringify(envelope('voucher.published', loadFixtureData('voucher.published')));
        expect((await postWebhook(service.baseUrl, body, { secret: SECRET })).status).toBe(202);
      }
      const after = await get('/events/received-per-minute', READ);
      expect(counted(after.json) - counted(before.json)).toBe(2);
      const { rows } = await db.pool.query(`SELECT max(received_at) AS last FROM events`);
      expect(after.json.last_received_at).toBe(rows[0].last.toISOString());
      expect(new Date(after.json.to).getTime() - new Date(after.json.from).getTime()).toBe(6 * 3_600_000);
    });

    it('keeps to the range asked and refuses a bad one', async () => {
      const old = await get('/events/received-per-minute?from=2000-01-01T00:00:00Z&to=2000-01-01T06:00:00Z', READ);
      expect(old.json.data).toEqual([]);
      expect(old.json.last_received_at).toEqual(expect.any(String));
      expect((await get('/events/received-per-minute?from=2000-01-01T00:00:00Z', READ)).status).toBe(400);
      expect((await get('/events/received-per-minute', 'wrong-token-0123456789')).status).toBe(401);
    });
  });
});
