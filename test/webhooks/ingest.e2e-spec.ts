import { signPayload } from '../../libs/voucherify/src';
import { RefusalCounts } from '../../apps/ledger/src/rejected-deliveries/refusal-counts';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, FIXTURE_TYPES, loadFixtureData, postWebhook, uniqueId } from '../support/voucherify';

const SECRET = 'whsec-test-0123456789abcdef';

describe('POST /webhooks/voucherify (signed)', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET] });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const countEvents = async () => Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);

  it.each(FIXTURE_TYPES)('stores the %s fixture with its type, id, source time and exact bytes', async (type) => {
    const data = loadFixtureData(type);
    const body = JSON.stringify(envelope(type, data, { createdAt: '2024-05-13T12: 26: 06.250Z' }), null, 2);
    const eventId = JSON.parse(body).event.id;

    const response = await postWebhook(service.baseUrl, body, { secret: SECRET });
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ event_id: eventId, position: expect.any(Number), duplicate: false });

    const row = (
      await db.pool.query(
        `SELECT global_position, event_type, event_id, occurred_at, occurred_at_raw, raw_body, decoded_body, convert_from(raw_body, 'UTF8')::jsonb AS payload,
                signature_status, request_headers, transaction_id::text AS xid
         FROM events WHERE event_id = $1`,
        [eventId],
      )
    ).rows[0];
    expect(Number(row.global_position)).toBe(response.json.position);
    expect(row.event_type).toBe(type);
    expect(row.occurred_at.toISOString()).toBe('2024-05-13T12:26:06.250Z');
    expect(row.occurred_at_raw).toBe('2024-05-13T12: 26: 06.250Z');
    expect(Buffer.compare(row.raw_body, Buffer.from(body))).toBe(0);
    expect(row.payload.data).toEqual(data);
    expect(row.decoded_body).toBeNull(); // one copy of the body: its bytes (UTF-8 here)
    expect(row.signature_status).toBe('verified');
    expect(row.request_headers['content-type']).toBe('application/json');
    expect(row.request_headers['x-voucherify-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(BigInt(row.xid)).toBeGreaterThan(0n);

    const raw = await fetch(`${service.baseUrl}/events/${eventId}/raw`);
    expect(Buffer.compare(Buffer.from(await raw.arrayBuffer()), Buffer.from(body))).toBe(0);
  });

  it('accepts a signature over the whitespace-stripped body', async () => {
    const data = { customer: { id: 'cust_ws', name: 'Spaces  Inside' } };
    const pretty = JSON.stringify(envelope('customer.created', data), null, 4);
    const compact = JSON.stringify(JSON.parse(pretty));
    const response = await postWebhook(service.baseUrl, pretty, { signature: signPayload(SECRET, compact) });
    expect(response.status).toBe(202);
  });

  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    const before = await countEvents();
    const body = JSON.stringify(envelope('customer.created', { customer: { id: 'cust_x' } }));
    const missing = await postWebhook(service.baseUrl, body);
    const wrong = await postWebhook(service.baseUrl, body, { secret: 'not-the-configured-secret' });
    const tampered = await postWebhook(service.baseUrl, body.replace('cust_x', 'cust_y'), {
      signature: signPayload(SECRET, body),
    });
    expect([missing.status, wrong.status, tampered.status]).toEqual([401, 401, 401]);
    expect(missing.json).toMatchObject({ status: 401, code: 'missing_signature' });
    expect(wrong.json).toMatchObject({ status: 401, code: 'invalid_signature' });
    expect(wrong.text).not.toContain(SECRET);
    expect(await countEvents()).toBe(before);
    // Unauthenticated refusals are counted per minute and reason; nothing of their bodies is kept.
    await service.app.get(RefusalCounts).flush();
    const counted = await db.pool.query(
      `SELECT reason, sum(deliveries)::int AS n, sum(body_bytes) > 0 AS sized FROM rejected_delivery_counts
       WHERE status_code = 401 GROUP BY reason ORDER BY reason`,
    );
    expect(counted.rows).toEqual([
      { reason: 'invalid_signature', n: 2, sized: true },
      { reason: 'missing_signature', n: 1, sized: true },
    ]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rejected_deliveries WHERE status_code = 401`)).rows[0].n).toBe(0);
  });

  it('answers with the request id it was given, or a new one', async () => {
    const body = JSON.stringify(envelope('customer.created', { customer: { id: 'cust_rid' } }));
    const given = await fetch(`${service.baseUrl}/webhooks/voucherify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-voucherify-signature': signPayload(SECRET, body), 'x-request-id': 'trace-webhook-7' },
      body,
    });
    expect(given.headers.get('x-request-id')).toBe('trace-webhook-7');
    const fresh = await postWebhook(service.baseUrl, body, { secret: SECRET });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores an event only once when it is delivered 10 times concurrently', async () => {
    const body = JSON.stringify(envelope('voucher.published', loadFixtureData('voucher.published')));
    const eventId = JSON.parse(body).event.id;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => postWebhook(service.baseUrl, body, { secret: SECRET })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    const positions = new Set(responses.map((r) => r.json.position));
    expect(positions.size).toBe(1);
    expect(responses.filter((r) => r.json.duplicate === false)).toHaveLength(1);
    const stored = await db.pool.query('SELECT count(*) FROM events WHERE event_id = $1', [eventId]);
    expect(Number(stored.rows[0].count)).toBe(1);
  });

  it('answers a retry with a new delivery id as a duplicate with the original position', async () => {
    const eventId = uniqueId('evcus_');
    const data = { customer: { id: 'cust_retry' } };
    const first = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', data, { eventId })), { secret: SECRET });
    const before = await countEvents();
    const retry = await postWebhook(
      service.baseUrl,
      JSON.stringify(envelope('customer.created', { ...data }, { eventId, deliveryId: 'whs_retry_2', createdAt: '2030-01-01T00:00:00Z' })),
      { secret: SECRET },
    );
    expect(first.status).toBe(202);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({ event_id: eventId, position: first.json.position, duplicate: true });
    expect(await countEvents()).toBe(before);
  });

  it('refuses the same event id with other data or another type (409), stores and records it', async () => {
    const eventId = uniqueId('evcus_');
    const first = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', { customer: { id: 'c1' } }, { eventId })), { secret: SECRET });
    expect(first.status).toBe(202);
    const before = await countEvents();
    const otherData = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', { customer: { id: 'c2' } }, { eventId })), { secret: SECRET });
    const otherType = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.updated', { customer: { id: 'c1' } }, { eventId })), { secret: SECRET });
    expect(otherData.status).toBe(409);
    expect(otherType.status).toBe(409);
    expect(otherData.json).toMatchObject({ code: 'event_id_conflict', event_id: eventId });
    expect(await countEvents()).toBe(before);
    const recorded = await db.pool.query(
      `SELECT status_code, reason FROM rejected_deliveries WHERE event_id = $1 ORDER BY id`,
      [eventId],
    );
    expect(recorded.rows).toEqual([
      { status_code: 409, reason: 'event_id_conflict' },
      { status_code: 409, reason: 'event_id_conflict' },
    ]);
  });

  it('stores unknown and future event types like any other', async () => {
    const response = await postWebhook(
      service.baseUrl,
      JSON.stringify(envelope('customer.loyalty.tier.upgraded.v9', { anything: [1, 2, 3] })),
      { secret: SECRET },
    );
    expect(response.status).toBe(202);
    const row = await db.pool.query(`SELECT event_type, convert_from(raw_body, 'UTF8')::jsonb AS payload FROM events WHERE event_id = $1`, [response.json.event_id]);
    expect(row.rows[0]).toMatchObject({ event_type: 'customer.loyalty.tier.upgraded.v9', payload: { data: { anything: [1, 2, 3] } } });
  });

  it('stores a distribution webhook under event.type, not the free-text type', async () => {
    const body = JSON.stringify(
      envelope('customer.reward_redemptions.completed', loadFixtureData('customer.reward_redemptions.completed'), {
        envelopeType: 'Loyalty distribution (prod)',
      }),
    );
    const response = await postWebhook(service.baseUrl, body, { secret: SECRET });
    const row = await db.pool.query('SELECT event_type, customer_id FROM events WHERE event_id = $1', [response.json.event_id]);
    expect(row.rows[0]).toEqual({ event_type: 'customer.reward_redemptions.completed', customer_id: 'cust_2myfc5acSBgoMV72R5tyTBc8' });
  });

  it('stores the retired v2018 format, identified by its envelope id', async () => {
    const eventId = uniqueId('evcus_');
    const body = JSON.stringify({
      id: eventId,
      object: 'event',
      webhook_id: 'wh_legacy',
      created_at: '2019-03-01T10:00:00Z',
      type: 'customer.created',
      data: { object: { id: 'cust_legacy' } },
      metadata: { source: 'API' },
    });
    const response = await postWebhook(service.baseUrl, body, { secret: SECRET });
    expect(response.status).toBe(202);
    expect(response.json.event_id).toBe(eventId);
    const row = await db.pool.query('SELECT envelope_format, delivery_id FROM events WHERE event_id = $1', [eventId]);
    expect(row.rows[0]).toEqual({ envelope_format: 'v2018-08-01', delivery_id: null });
  });
});

describe('POST /webhooks/voucherify (no secret configured, development)', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { nodeEnv: 'development', webhookSecrets: [] });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('accepts unsigned webhooks and marks them unsigned', async () => {
    const response = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', { customer: { id: 'c' } })));
    expect(response.status).toBe(202);
    const row = await db.pool.query('SELECT signature_status FROM events WHERE event_id = $1', [response.json.event_id]);
    expect(row.rows[0].signature_status).toBe('unsigned');
  });
});
