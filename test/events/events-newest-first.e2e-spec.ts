import { createTestDatabase, TestDatabase } from '../support/test-database';
import { getJson } from '../support/read-api';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, FIXTURE_TYPES, loadFixtureData, postWebhook } from '../support/voucherify';

const SECRET = 'whsec-newest-0123456789abcdef';

/** GET /events?order=desc (the console's inbox): newest first, paged with `before`, filtered by signature and received time. */
describe('GET /events newest first', () => {
  let db: TestDatabase;
  let service: TestApp;
  const positions: number[] = [];
  let between = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], adminToken: 'admin-token-0123456789abcdef' });
    for (const [i, type] of FIXTURE_TYPES.entries()) {
      if (i === 3) {
        await new Promise((r) => setTimeout(r, 20));
        between = new Date().toISOString();
        await new Promise((r) => setTimeout(r, 20));
      }
      const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope(type, loadFixtureData(type))), { secret: SECRET });
      positions.push(answer.json.position);
    }
    // An operator event: signature status `operator`.
    const put = await fetch(`${service.baseUrl}/admin/campaigns/camp_1/point-value`, {
      method: 'PUT',
      headers: { authorization: 'Bearer admin-token-0123456789abcdef', 'content-type': 'application/json' },
      body: JSON.stringify({ value: '0.0100', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' }),
    });
    positions.push((await put.json()).position);
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const get = (path: string) => getJson(service.baseUrl, path);

  it('pages from the newest event back with next_before', async () => {
    const newest = [...positions].reverse();
    const first = await get('/events?order=desc&limit=4');
    expect(first.json.data.map((e: any) => e.position)).toEqual(newest.slice(0, 4));
    expect(first.json).not.toHaveProperty('next_after');
    expect(first.json.next_before).toBe(newest[3]);
    const rest = await get(`/events?order=desc&limit=4&before=${first.json.next_before}`);
    expect(rest.json.data.map((e: any) => e.position)).toEqual(newest.slice(4));
    expect(rest.json.next_before).toBeNull();
  });

  it('filters by signature status and by received time', async () => {
    const operator = await get('/events?order=desc&signature_status=operator');
    expect(operator.json.data.map((e: any) => e.position)).toEqual([positions[positions.length - 1]]);
    const verified = await get('/events?signature_status=verified');
    expect(verified.json.data.map((e: any) => e.position)).toEqual(positions.slice(0, -1));
    const before = await get(`/events?received_to=${encodeURIComponent(between)}`);
    expect(before.json.data.map((e: any) => e.position)).toEqual(positions.slice(0, 3));
    const after = await get(`/events?order=desc&received_from=${encodeURIComponent(between)}&signature_status=verified`);
    expect(after.json.data.map((e: any) => e.position)).toEqual(positions.slice(3, -1).reverse());
  });

  it('refuses what it cannot read with 400 naming the parameter', async () => {
    for (const [query, name] of [
      ['order=sideways', 'order'],
      ['before=0', 'before'],
      ['before=12abc', 'before'],
      ['signature_status=forged', 'signature_status'],
      ['received_from=yesterday', 'received_from'],
      ['received_to=%00', 'received_to'],
    ]) {
      const answer = await get(`/events?${query}`);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.json)).toContain(name);
    }
  });
});
