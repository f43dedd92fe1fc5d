import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';
import { getJson } from '../support/read-api';
import { cardAt, cardTransaction, TestCard } from '../support/loyalty-payloads';

const SECRET = 'whsec-test-0123456789abcdef';
const CUSTOMER = { id: 'cust_stmt', object: 'customer', name: 'Stella Statement', source_id: 'stella-1' };
const CARD: TestCard = { id: 'v_stmt', code: 'STMT-1', campaignId: 'camp_stmt', campaignName: 'Statements', holderId: CUSTOMER.id };
const tx = (id: string, type: string, points: number, balance: number, at: string, reason: string | null = null) => cardTransaction(CARD, id, type, points, balance, at, reason);

describe("a customer's statement", () => {
  let db: TestDatabase;
  let service: TestApp;
  let head = 0;
  const send = async (type: string, data: unknown, at: string) => {
    const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope(type, data, { createdAt: at })), { secret: SECRET });
    expect(answer.status).toBe(202);
    head = Math.max(head, answer.json.position);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], projectorPollMs: 50 });
    await send('customer.created', { customer: CUSTOMER }, '2024-01-01T00:00:00.000Z');
    await send('voucher.published', { customer: CUSTOMER, voucher: cardAt(CARD, '2024-01-02T00:00:00.000Z', 0, 0) }, '2024-01-02T00:00:00.000Z');
    for (const t of [
      tx('vtx_s1', 'POINTS_ACCRUAL', 100, 100, '2024-01-10T10:00:00.000Z', 'order #1'),
      // vtx_s2 (+40 on 2024-02-03) never arrives: a gap of 40 before vtx_s3.
      tx('vtx_s3', 'POINTS_REDEMPTION', -30, 110, '2024-02-05T10:00:00.000Z', 'coffee, "large"'),
      tx('vtx_s4', 'POINTS_ADDITION', 25, 135, '2024-03-01T10:00:00.000Z'),
    ]) {
      await send('voucher.loyalty_card.transaction.created', { customer: CUSTOMER, voucher: cardAt(CARD, t.created_at, 0, 0), transaction: t }, t.created_at);
    }
    await send(
      'voucher.loyalty_card.pending_points.added',
      {
        customer: CUSTOMER,
        voucher: cardAt(CARD, '2024-02-20T10:00:00.000Z', 140, 110),
        pending_points: { id: 'lopp_s', voucher_id: CARD.id, points: 15, activates_at: '2024-04-01T00:00:00.000Z' },
        voucher_pending_points_balance: { type: 'loyalty_card', points: 15, total: 15, related_object: { id: CARD.id, type: 'voucher' } },
      },
      '2024-02-20T10:00:00.000Z',
    );
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('gives per card the opening balance, every entry with its reason, the closing balance and the pending points, adding up', async () => {
    const { status, json } = await getJson(service.baseUrl, `/customers/stella-1/statement?from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z`, head);
    expect(status).toBe(200);
    expect(json).toMatchObject({ customer_id: CUSTOMER.id, name: CUSTOMER.name, from: '2024-02-01T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z' });
    const [card] = json.cards;
    expect(card).toMatchObject({ voucher_id: CARD.id, code: CARD.code, opening_balance: 100, closing_balance: 110, pending_points: 15, truncated: false, deleted: false });
    expect(card.entries).toEqual([
      { occurred_at: '2024-02-05T10:00:00.000Z', kind: 'redeemed', points: -30, balance_after: 110, unexplained_before: 40, reason: 'coffee, "large"', transaction_id: 'vtx_s3' },
    ]);
    const moved = card.entries.reduce((sum: number, e: any) => sum + e.points + e.unexplained_before, 0);
    expect(card.opening_balance + moved).toBe(card.closing_balance);
    expect(json.totals).toEqual({ opening_balance: 100, closing_balance: 110, pending_points: 15 });
    // Where the ledger stood: its checkpoint, at least this statement's last event, and the chain head then.
    expect(json.log.position).toBeGreaterThanOrEqual(head);
    expect(json.log.chain_head === null || /^[0-9a-f]{64}$/.test(json.log.chain_head.hash)).toBe(true);
  });

  it('writes the same lines as CSV, quoting what a sender wrote', async () => {
    const response = await fetch(`${service.baseUrl}/customers/${CUSTOMER.id}/statement?from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z&format=csv`);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('customer_id,voucher_id,code,campaign_name,line,occurred_at,kind,points,unexplained_before,balance_after,reason,transaction_id');
    expect(lines.slice(1, 5)).toEqual([
      `${CUSTOMER.id},${CARD.id},STMT-1,Statements,opening,2024-02-01T00:00:00.000Z,,,,100,,`,
      `${CUSTOMER.id},${CARD.id},STMT-1,Statements,entry,2024-02-05T10:00:00.000Z,redeemed,-30,40,110,"coffee, ""large""",vtx_s3`,
      `${CUSTOMER.id},${CARD.id},STMT-1,Statements,closing,2024-03-01T00:00:00.000Z,,,,110,,`,
      `${CUSTOMER.id},${CARD.id},STMT-1,Statements,pending,2024-03-01T00:00:00.000Z,,15,,,,`,
    ]);
    expect(lines[5]).toMatch(new RegExp(`^${CUSTOMER.id},,,,log,`));
  });

  it('covers at most 100 cards, and says when a customer holds more', async () => {
    await db.pool.query(
      `INSERT INTO loyalty_cards (voucher_id, code, campaign_id, customer_id, last_event_id)
       SELECT 'v_many_' || i, 'MANY-' || lpad(i::text, 3, '0'), 'camp_many', 'cust_many', 'ev_many' FROM generate_series(1, 101) i`,
    );
    const { json } = await getJson(service.baseUrl, '/customers/cust_many/statement?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z');
    expect([json.cards.length, json.cards_truncated, json.cards[99].code]).toEqual([100, true, 'MANY-100']);
    const one = await getJson(service.baseUrl, `/customers/${CUSTOMER.id}/statement?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z`, head);
    expect(one.json.cards_truncated).toBe(false);
  });

  it('answers 404 for a customer the ledger never saw and 400 for a period that ends before it starts', async () => {
    expect((await getJson(service.baseUrl, '/customers/cust_nobody/statement?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z')).status).toBe(404);
    expect((await getJson(service.baseUrl, `/customers/${CUSTOMER.id}/statement?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z`)).status).toBe(400);
    expect((await getJson(service.baseUrl, `/customers/${CUSTOMER.id}/statement?from=x&to=2024-01-01T00:00:00Z`)).status).toBe(400);
  });
});
