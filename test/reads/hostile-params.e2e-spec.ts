import { encodePointsHistoryCursor } from '../../apps/ledger/src/points-ledger/points-history-cursor';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, loadFixtureData, postWebhook } from '../support/voucherify';

const ADMIN_TOKEN = 'admin-token-hostile-0123456789';
const CUSTOMER = 'cust_2myfc5acSBgoMV72R5tyTBc8'; // in the reward-redemption fixtures

const cursor = (occurredAt: string | null, voucherId = 'v_1', seq = 1) => encodePointsHistoryCursor({ occurredAt, voucherId, seq });

/** Ids and filters an attacker sent: each was a 500 (a database error) before. */
const HOSTILE_TEXT = {
  NUL: '%00',
  'NUL inside': 'cust_%00x',
  'a control character': 'cust_%01',
  'a line feed': 'cust%0Ax',
  'a DEL': 'cust%7F',
  'invalid UTF-8': '%FF%FE',
  'a lone surrogate': '%ED%A0%80',
  '300 characters': 'x'.repeat(300),
};

const PATH_ROUTES = [
  (id: string) => `/customers/${id}`,
  (id: string) => `/customers/${id}/loyalty-cards`,
  (id: string) => `/customers/${id}/points-history`,
  (id: string) => `/customers/${id}/reward-redemptions`,
  (id: string) => `/customers/${id}/vouchers`,
  (id: string) => `/customers/${id}/loyalty-tiers`,
  (id: string) => `/vouchers/${id}`,
  (id: string) => `/reward-redemptions/${id}`,
  (id: string) => `/events/${id}`,
  (id: string) => `/events/${id}/raw`,
];

const QUERY_FILTERS = [
  (value: string) => `/events?type=${value}`,
  (value: string) => `/events?customer_id=${value}`,
  (value: string) => `/customers/${CUSTOMER}/points-history?voucher_id=${value}`,
  (value: string) => `/customers/${CUSTOMER}/points-history?cursor=${value}`,
  (value: string) => `/customers/${CUSTOMER}/reward-redemptions?state=${value}`,
  (value: string) => `/customers/${CUSTOMER}/vouchers?status=${value}`,
  (value: string) => `/admin/dead-letters?projection=${value}`,
];

// Text the URL decoder cannot decode: in a path Fastify refuses the URL (400, our error body);
// in a query string the text is kept as sent, a harmless filter that matches nothing.
const UNDECODABLE = new Set(['invalid UTF-8', 'a lone surrogate']);

/** [method, path, what]: must answer 4xx. */
const cases: [string, string, string][] = [];
/** [method, path, what]: must not answer 5xx. */
const harmless: [string, string, string][] = [];
for (const [what, text] of Object.entries(HOSTILE_TEXT)) {
  for (const route of PATH_ROUTES) cases.push(['GET', route(text), what]);
  for (const route of QUERY_FILTERS) (UNDECODABLE.has(what) ? harmless : cases).push(['GET', route(text), what]);
}
const INTEGER_ROUTES = [
  (query: string) => `/events?${query.replace(/NAME/g, 'after')}`,
  (query: string) => `/events?${query.replace(/NAME/g, 'limit')}`,
  (query: string) => `/customers/${CUSTOMER}/points-history?${query.replace(/NAME/g, 'limit')}`,
];
for (const [what, value] of Object.entries({
  '2^63': '9223372036854775808',
  '2^63 - 1 (a bigint, but no exact JavaScript number)': '9223372036854775807',
  '2^64': '18446744073709551616',
  '20 digits of 9': '99999999999999999999',
  'an exponent': '1e3',
  'a negative number': '-5',
  hexadecimal: '0x10',
  NUL: '1%00',
})) {
  for (const route of INTEGER_ROUTES) cases.push(['GET', route(`NAME=${value}`), what]);
  cases.push(['POST', `/admin/dead-letters/${value}/retry`, `dead-letter id ${what}`]);
}
for (const route of INTEGER_ROUTES) cases.push(['GET', route('NAME=1&NAME=2'), 'a repeated parameter']);
for (const [what, value] of Object.entries({
  'year 275760 (JavaScript reads it, PostgreSQL does not)': cursor('+275760-09-13T00:00:00.000Z'),
  'year 0 (JavaScript reads it, PostgreSQL does not)': cursor('0000-01-01T00:00:00.000Z'),
  'a date PostgreSQL reads differently': cursor('2024-02-30T00:00:00.000Z'),
  'a chain position out of range': cursor('2024-01-01T00:00:00.000Z', 'v_1', 2 ** 40),
  'a NUL in its voucher id': cursor(null, 'v\u0000'),
  'numbers for ids': Buffer.from(JSON.stringify([null, 1, 2])).toString('base64url'),
  'not base64 JSON': 'bm90IGpzb24',
})) {
  cases.push(['GET', `/customers/${CUSTOMER}/points-history?cursor=${encodeURIComponent(value)}`, `cursor with ${what}`]);
}

describe('every read route refuses hostile ids and parameters with a 4xx, never a 500', () => {
  let db: TestDatabase;
  let service: TestApp;
  let position: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { adminToken: ADMIN_TOKEN });
    const type = 'customer.reward_redemptions.completed';
    position = (await postWebhook(service.baseUrl, JSON.stringify(envelope(type, loadFixtureData(type))))).json.position;
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const call = async (method: string, path: string) => {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-min-position': String(position) },
    });
    const text = await response.text();
    return { status: response.status, text };
  };

  it.each(cases)('%s %s (%s) → 4xx', async (method, path) => {
    const { status, text } = await call(method, path);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(JSON.parse(text)).toMatchObject({ status, code: expect.any(String), message: expect.any(String) });
  });

  it.each(harmless)('%s %s (%s) → not 5xx', async (method, path) => {
    const { status, text } = await call(method, path);
    expect(status).toBeLessThan(500);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it.each([
    ['GET', '/events?after=9007199254740991', 200],
    ['GET', '/customers/cust_unknown_0123', 404],
    ['GET', '/customers/cust_unknown_0123/points-history', 404],
    ['GET', '/vouchers/NO-SUCH-CODE', 404],
    ['GET', '/reward-redemptions/rewr_unknown', 404],
    ['GET', '/events/evtest_unknown', 404],
    ['POST', '/admin/dead-letters/9007199254740991/retry', 404],
    ['GET', `/customers/${CUSTOMER}/points-history?voucher_id=`, 200],
    ['GET', `/customers/${CUSTOMER}/points-history?cursor=`, 200],
    ['GET', `/customers/${CUSTOMER}/points-history?cursor=${cursor('2024-01-01T00:00:00.000Z')}`, 200],
    ['GET', `/customers/${CUSTOMER}/points-history?cursor=${cursor(null)}`, 200],
  ])('%s %s (well-formed) → %i', async (method, path, expected) => {
    expect((await call(method, path)).status).toBe(expected);
  });

  it('answers 400 naming the parameter', async () => {
    const { status, text } = await call('GET', '/customers/cust_%00');
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ code: 'bad_request', message: 'id must not contain NUL or other control characters' });
    const filter = JSON.parse((await call('GET', '/events?customer_id=%00')).text);
    expect(filter.message).toBe('customer_id must not contain NUL or other control characters');
  });
});
