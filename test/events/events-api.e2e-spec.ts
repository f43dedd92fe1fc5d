import { createTestDatabase, TestDatabase } from '../support/test-database';
import { getJson } from '../support/read-api';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, FIXTURE_TYPES, loadFixtureData, postWebhook } from '../support/voucherify';

describe('GET /events', () => {
  let db: TestDatabase;
  let service: TestApp;
  const sent: { eventId: string; type: string; position: number; body: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url);
    for (const type of FIXTURE_TYPES) {
      const body = JSON.stringify(envelope(type, loadFixtureData(type)));
      const response = await postWebhook(service.baseUrl, body);
      sent.push({ eventId: response.json.event_id, type, position: response.json.position, body });
    }
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const get = (path: string) => getJson(service.baseUrl, path);

  it('pages through the log in position order with a cursor', async () => {
    const first = await get('/events?limit=2');
    expect(first.status).toBe(200);
    expect(first.json.data.map((e: any) => e.event_id)).toEqual(sent.slice(0, 2).map((s) => s.eventId));
    expect(first.json.next_after).toBe(sent[1].position);

    const rest = await get(`/events?after=${first.json.next_after}&limit=10`);
    expect(rest.json.data.map((e: any) => e.event_id)).toEqual(sent.slice(2).map((s) => s.eventId));
    expect(rest.json.next_after).toBeNull();
  });

  it('answers snake_case fields', async () => {
    const { json } = await get('/events?limit=1');
    expect(Object.keys(json.data[0]).sort()).toEqual(
      [
        'customer_id', 'delivery_id', 'envelope_format', 'event_id', 'occurred_at', 'occurred_at_raw', 'payload',
        'position', 'project_id', 'received_at', 'signature_status', 'type',
      ].sort(),
    );
  });

  it('filters by type and by customer', async () => {
    const byType = await get('/events?type=voucher.published');
    expect(byType.json.data.map((e: any) => e.type)).toEqual(['voucher.published']);

    const john = await get('/events?customer_id=cust_2myfc5acSBgoMV72R5tyTBc8');
    expect(john.json.data.map((e: any) => e.type).sort()).toEqual(
      ['customer.reward_redemptions.completed', 'customer.reward_redemptions.pending'].sort(),
    );
  });

  it('shows one event with its raw body', async () => {
    const { status, json } = await get(`/events/${sent[0].eventId}`);
    expect(status).toBe(200);
    expect(json.type).toBe(sent[0].type);
    expect(Buffer.from(json.raw_body.data, 'base64').toString()).toBe(sent[0].body);
    expect(json.raw_body.size).toBe(Buffer.byteLength(sent[0].body));
    expect(json.transaction_id).toMatch(/^\d+$/);
  });

  it('answers 404 for an unknown event', async () => {
    const { status, json } = await get('/events/evvou_does_not_exist');
    expect(status).toBe(404);
    expect(json).toMatchObject({ status: 404, code: 'not_found' });
  });

  it.each(['limit=0', 'limit=1001', 'limit=ten', 'after=-1', 'unknown=1'])('answers 400 for %s', async (query) => {
    const { status, json } = await get(`/events?${query}`);
    expect(status).toBe(400);
    expect(json).toMatchObject({ status: 400, code: 'bad_request' });
  });
});

describe('health and docs', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url);
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('is live and ready with the schema migrated', async () => {
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
    const ready = await fetch(`${service.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, migrations: { status: 'up' } } });
  });

  it('is not ready while a migration is missing', async () => {
    await db.pool.query(`DELETE FROM typeorm_migrations`);
    const ready = await fetch(`${service.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', error: { migrations: { status: 'down' } } });
  });

  it('publishes the OpenAPI document', async () => {
    const response = await fetch(`${service.baseUrl}/docs-json`);
    const document = (await response.json()) as any;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/webhooks/voucherify', '/events', '/events/{eventId}', '/health/ready']),
    );
    // The webhook route is written into the document by hand (it is not a Nest controller).
    const accepted = document.paths['/webhooks/voucherify'].post.responses['202'].content['application/json'].schema.$ref;
    expect(document.components.schemas[accepted.replace('#/components/schemas/', '')].required).toEqual(['event_id', 'position', 'duplicate']);
    // Every read-model endpoint documents the read token and X-Min-Position.
    const readModelPaths = Object.keys(document.paths).filter((p) => /^\/(customers|vouchers|reward-redemptions)\//.test(p));
    expect(readModelPaths.length).toBeGreaterThanOrEqual(7);
    for (const path of readModelPaths) {
      const get = document.paths[path].get;
      expect([path, get.parameters.some((p: any) => p.in === 'header' && p.name === 'x-min-position')]).toEqual([path, true]);
      expect([path, get.security]).toEqual([path, [{ bearer: [] }]]);
    }
  });
});
