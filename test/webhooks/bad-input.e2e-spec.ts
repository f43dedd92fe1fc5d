import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { signPayload } from '../../libs/voucherify/src';
import { RefusalCounts } from '../../apps/ledger/src/rejected-deliveries/refusal-counts';
import { envelope, postWebhook } from '../support/voucherify';

const SECRET = 'whsec-test-0123456789abcdef';
const BODY_LIMIT = 4096;

/**
 * Every refusal: its status, a clear JSON error, and no event stored; a row in rejected_deliveries
 * when the sender passed the signature check, a count per minute and reason when it did not.
 */
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
  /** Unauthenticated refusals counted so far, after the in-memory tallies are written. */
  const counted = async (reason: string, status: number) => {
    await service.app.get(RefusalCounts).flush();
    const result = await db.pool.query(
      'SELECT coalesce(sum(deliveries), 0)::int AS n FROM rejected_delivery_counts WHERE reason = $1 AND status_code = $2',
      [reason, status],
    );
    return result.rows[0].n as number;
  };
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
    ['a number numeric cannot hold', JSON.stringify(envelope('customer.created', { points: 7 })).replace('"points":7', '"points":1e200000'), 422, 'unstorable_payload'],
    ['a number of 1,001 digits', JSON.stringify(envelope('customer.created', { points: 7 })).replace('"points":7', `"points":${'9'.repeat(1001)}`), 422, 'unstorable_payload'],
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

  it('refuses a body over the limit with 413 without storing it, counted (no signature was checked)', async () => {
    const before = await eventCount();
    const rowsBefore = await rejectionCount();
    const countedBefore = await counted('payload_too_large', 413);
    const big = JSON.stringify(envelope('customer.created', { blob: 'x'.repeat(BODY_LIMIT) }));
    const response = await postWebhook(service.baseUrl, big, { secret: SECRET });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(await eventCount()).toBe(before);
    expect(await rejectionCount()).toBe(rowsBefore);
    expect(await counted('payload_too_large', 413)).toBe(countedBefore + 1);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form-encoded', 'application/x-www-form-urlencoded'],
  ])('refuses %s with 415, counted', async (_name, contentType) => {
    const before = await eventCount();
    const rejectionsBefore = await rejectionCount();
    const countedBefore = await counted('unsupported_media_type', 415);
    const response = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', {})), {
      secret: SECRET,
      contentType,
    });
    expect(response.status).toBe(415);
    expect(response.json).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(await eventCount()).toBe(before);
    expect(await rejectionCount()).toBe(rejectionsBefore);
    expect(await counted('unsupported_media_type', 415)).toBe(countedBefore + 1);
  });

  it('refuses a request without a body or content type with 415', async () => {
    const response = await fetch(`${service.baseUrl}/webhooks/voucherify`, { method: 'POST' });
    expect(response.status).toBe(415);
  });

  it('keeps only the headers worth keeping with a refusal', async () => {
    const answer = await fetch(`${service.baseUrl}/webhooks/voucherify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer hidden', 'user-agent': 'Voucherify-Webhooks/1.0', 'x-voucherify-signature': signPayload(SECRET, '{}') },
      body: '{}',
    });
    expect(answer.status).toBe(422);
    const rejection = await lastRejection();
    expect(Object.keys(rejection.request_headers).sort()).toEqual(['content-type', 'user-agent', 'x-voucherify-signature']);
  });
});
