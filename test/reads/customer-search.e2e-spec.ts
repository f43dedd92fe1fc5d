import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';
import { getJson } from '../support/read-api';
import { cardAt } from '../support/loyalty-payloads';

const SECRET = 'whsec-test-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef';

const ANN = { id: 'cust_search_ann', object: 'customer', name: 'Ann Smith', email: 'Ann.Smith@Example.com', phone: '+48 600 123 456', source_id: 'shop-ann-1' };
const BOB = { id: 'cust_search_bob', object: 'customer', name: 'Bob Annenberg', email: 'bob@example.org', source_id: 'shop-bob-1' };
const CLEO = { id: 'cust_search_cleo', object: 'customer', name: 'Cleo Mars', email: 'cleo@example.net', source_id: 'shop-cleo-1' };

describe('finding a customer', () => {
  let db: TestDatabase;
  let service: TestApp;
  let head = 0;

  const send = async (type: string, data: unknown) => {
    const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope(type, data, { createdAt: '2024-05-01T10:00:00.000Z' })), { secret: SECRET });
    expect(answer.status).toBe(202);
    head = Math.max(head, answer.json.position);
  };
  const search = async (q: string, extra = '') => getJson(service.baseUrl, `/customers?q=${encodeURIComponent(q)}${extra}`, head);
  const ids = async (q: string) => (await search(q)).json.data.map((c: any) => c.id);

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], adminToken: ADMIN, projectorPollMs: 50, erasureRefreshMs: 50 });
    for (const customer of [ANN, BOB, CLEO]) await send('customer.created', { customer });
    await send('voucher.published', { customer: CLEO, voucher: cardAt({ id: 'v_search_cleo', code: 'COFFEE-7781', campaignId: 'camp_s', holderId: CLEO.id }, '2024-05-01T10:00:00.000Z', 0, 0) });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('finds by any part of an email, name, phone, source id or card code, whatever the case, exact matches first', async () => {
    expect(await ids('ann.smith@example.com')).toEqual([ANN.id]);
    expect((await search('ann.smith@example.com')).json.data[0]).toMatchObject({ match: 'exact', name: 'Ann Smith', phone: ANN.phone, card_codes: [] });
    expect(await ids('SMITH')).toEqual([ANN.id]);
    expect(await ids('mith@exa')).toEqual([ANN.id]);
    // "ann" starts a word of both: Ann Smith and Bob Annenberg.
    expect(await ids('ann')).toEqual([ANN.id, BOB.id]);
    expect(await ids('600 123')).toEqual([ANN.id]);
    expect(await ids('shop-bob')).toEqual([BOB.id]);
    expect(await ids('coffee-778')).toEqual([CLEO.id]);
    expect((await search('COFFEE-7781')).json.data[0]).toMatchObject({ id: CLEO.id, match: 'exact', card_codes: ['COFFEE-7781'] });
    expect(await ids('example.')).toEqual([ANN.id, BOB.id, CLEO.id]);
    // LIKE's own characters are text here, not patterns.
    expect(await ids('%%%')).toEqual([]);
    expect(await ids('a_n')).toEqual([]);
  });

  it('pages the results', async () => {
    const first = await search('example.', '&limit=2');
    expect(first.json.data.map((c: any) => c.id)).toEqual([ANN.id, BOB.id]);
    const second = await search('example.', `&limit=2&cursor=${first.json.next_cursor}`);
    expect(second.json).toMatchObject({ data: [{ id: CLEO.id }], next_cursor: null });
  });

  it('refuses a text too short or too long, and a cursor it did not issue, with 400', async () => {
    for (const bad of ['?q=ab', `?q=${'x'.repeat(101)}`, '?q=abc&cursor=nope', '?q=abc&limit=101', '', '?q=%20%20%20', '?q=%20%20a']) {
      expect([bad, (await getJson(service.baseUrl, `/customers${bad}`)).status]).toEqual([bad, 400]);
    }
  });

  it('no longer finds an erased customer by the values erasure removed', async () => {
    const erased = await fetch(`${service.baseUrl}/admin/erasures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer: ANN.id }),
    });
    const { id } = await erased.json();
    let erasure: any;
    for (let i = 0; i < 100 && erasure?.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      erasure = await (await fetch(`${service.baseUrl}/admin/erasures/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    }
    head = Math.max(head, erasure.result.record_position);
    expect(await ids('smith')).toEqual([]);
    expect(await ids('600 123')).toEqual([]);
    // Its id and a source id that is no email stay (they identify no one): found by those, with nothing personal.
    expect(await ids('shop-ann-1')).toEqual([ANN.id]);
    expect((await search(ANN.id)).json.data).toEqual([expect.objectContaining({ id: ANN.id, name: null, email: null, phone: null })]);
  });
});
