import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';

const SECRET = 'whsec-test-0123456789abcdef';
const BODY_LIMIT = 4096;

/** Every refusal: its status, a clear JSON error, a row in rejected_deliveries, and no event stored. */
describe('POST /webhooks/voucherify with bad input', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], webhookBodyLimitBytes: BODY_LIMIT });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const eventCount = async () => Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
  const rejectionCount = async () => Number((await db.pool.query('SELECT count(*) FROM rejected_deliveries')).rows[0].count);
  const lastRejection = async () =>
    (await db.pool.query('SELECT status_code, reason, detail, body_size, body_prefix, request_headers FROM rejected_deliveries ORDER BY id DESC LIMIT 1')).rows[0];

  it.each([
    ['truncated JSON', '{"id":"whs_1","type":"a"', 400, 'malformed_json'],
    ['empty body', '', 400, 'malformed_json'],
    ['a JSON array', '[1,2,3]', 422, 'invalid_envelope'],
    ['a JSON string', '"voucher.published"', 422, 'invalid_envelope'],
    ['no type', JSON.stringify({ ...envelope('x', {}), type: undefined, event: { id: 'evx_1' } }), 422, 'invalid_envelope'],
    ['no data', JSON.stringify({ ...envelope('voucher.published', {}), data: undefined }), 422, 'invalid_envelope'],
    ['data not an object', JSON.stringify({ ...envelope('voucher.published', {}), data: 'text' }), 422, 'invalid_envelope'],
    ['no event id', JSON.stringify({ type: 'voucher.published', data: {} }), 422, 'invalid_envelope'],
    ['a NUL character jsonb cannot hold', JSON.stringify(envelope('customer.created', { name: 'a\u0000b' })), 422, 'unstorable_payload'],
    ['a lone surrogate jsonb cannot hold', JSON.stringify(envelope('customer.created', { name: 'x' })).replace('"x"', '"\\ud800"'), 422, 'unstorable_payload'],
  ])('%s → %i %s', async (_name, body, status, code) => {
    const before = await eventCount();
    const response = await postWebhook(service.baseUrl, body, { secret: SECRET });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.json).toMatchObject({ status, code, message: expect.any(String) });
    expect(await eventCount()).toBe(before);
    const rejection = await lastRejection();
    expect(rejection).toMatchObject({ status_code: status, reason: code, body_size: Buffer.byteLength(body) });
    expect(rejection.body_prefix?.toString() ?? '').toBe(Buffer.from(body).subarray(0, 1024).toString());
  });

  it('names every problem of an invalid envelope', async () => {
    const response = await postWebhook(service.baseUrl, JSON.stringify({ event: { foo: 1 } }), { secret: SECRET });
    expect(response.status).toBe(422);
    expect(response.json.details).toEqual(
      expect.arrayContaining(['data is missing or is not an object', 'event.id is missing']),
    );
  });

  it('refuses a body over the limit with 413 without storing it', async () => {
    const before = await eventCount();
    const big = JSON.stringify(envelope('customer.created', { blob: 'x'.repeat(BODY_LIMIT) }));
    const response = await postWebhook(service.baseUrl, big, { secret: SECRET });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(await eventCount()).toBe(before);
    expect(await lastRejection()).toMatchObject({ status_code: 413, reason: 'payload_too_large', body_prefix: null });
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form-encoded', 'application/x-www-form-urlencoded'],
  ])('refuses %s with 415', async (_name, contentType) => {
    const before = await eventCount();
    const rejectionsBefore = await rejectionCount();
    const response = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', {})), {
      secret: SECRET,
      contentType,
    });
    expect(response.status).toBe(415);
    expect(response.json).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(await eventCount()).toBe(before);
    expect(await rejectionCount()).toBe(rejectionsBefore + 1);
    expect(await lastRejection()).toMatchObject({ status_code: 415, reason: 'unsupported_media_type' });
  });

  it('refuses a request without a body or content type with 415', async () => {
    const response = await fetch(`${service.baseUrl}/webhooks/voucherify`, { method: 'POST' });
    expect(response.status).toBe(415);
  });

  it('keeps only the headers worth keeping with a refusal', async () => {
    await fetch(`${service.baseUrl}/webhooks/voucherify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer hidden', 'user-agent': 'Voucherify-Webhooks/1.0', 'x-voucherify-signature': 'f'.repeat(64) },
      body: '{}',
    });
    const rejection = await lastRejection();
    expect(Object.keys(rejection.request_headers).sort()).toEqual(['content-type', 'user-agent', 'x-voucherify-signature']);
  });
});
