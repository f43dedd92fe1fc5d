import { envelope, postWebhook } from '../support/voucherify';
import { TEST_SECRET, useLedgerService } from '../support/ledger-service';
import { cardAt, cardTransaction, TestCard } from '../support/loyalty-payloads';

const SECRET = TEST_SECRET;

const CARD: TestCard = { id: 'v_card_1', code: 'CARD-1', campaignId: 'camp_coffee', campaignName: 'Coffee Club', holderId: 'cust_ann' };
const card = (updatedAt: string, points: number, balance: number) => cardAt(CARD, updatedAt, points, balance);

const transaction = (id: string, type: string, points: number, balance: number, createdAt: string) => cardTransaction(CARD, id, type, points, balance, createdAt);

const T1 = transaction('vtx_1', 'POINTS_ACCRUAL', 100, 100, '2024-02-01T10:00:00.000Z');
const T2 = transaction('vtx_2', 'POINTS_ADDITION', 50, 150, '2024-02-02T10:00:00.000Z');
const T3 = transaction('vtx_3', 'POINTS_EXPIRATION', -30, 120, '2024-02-03T10:00:00.000Z');

describe('the points ledger through the service', () => {
  const app = useLedgerService();
  const { send, get } = app;

  it('keeps one entry per transaction however many webhooks report it, and finds the gap where one is missing', async () => {
    await send('voucher.published', { voucher: card('2024-01-15T00:00:00.000Z', 0, 0) }, '2024-01-15T00:00:00.000Z');
    await send('voucher.loyalty_card.transaction.created', { voucher: card(T1.created_at, 0, 0), transaction: T1 }, T1.created_at);
    await send('voucher.loyalty_card.points_added', { voucher: card(T1.created_at, 100, 100), transaction: T1, balance: T1.details.balance }, T1.created_at);
    await send('customer.voucher.loyalty_card.points_added', { voucher: card(T1.created_at, 100, 100), transaction: T1 }, T1.created_at, {
      envelopeType: 'Points added (distribution)',
    });
    await send('voucher.loyalty_card.transaction.created', { voucher: card(T3.created_at, 150, 120), transaction: T3 }, T3.created_at);

    const ledger = await get('/loyalty-cards/CARD-1/ledger');
    expect(ledger.status).toBe(200);
    expect(ledger.json.data.map((e: any) => [e.transaction_id, e.points, e.balance_before, e.balance_after, e.event_ids.length])).toEqual([
      ['vtx_3', -30, 150, 120, 1],
      ['vtx_1', 100, 0, 100, 3],
    ]);
    expect(ledger.json.data[1]).toMatchObject({ transaction_type: 'POINTS_ACCRUAL', kind: 'accrued', derived: false, unit: 'points' });

    const gaps = await get('/loyalty-cards/v_card_1/gaps');
    expect(gaps.json.data).toEqual([
      { voucher_id: 'v_card_1', campaign_id: 'camp_coffee', points: 50, after_entry: 'vtx_1', before_entry: 'vtx_3', from: T1.created_at, to: T3.created_at },
    ]);
    expect((await get('/gaps?campaign_id=camp_coffee')).json).toEqual({ data: gaps.json.data, next_cursor: null });
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/ledger_open_gaps\{measure="cards"\} 1/);
    expect(metrics).toMatch(/ledger_open_gaps\{measure="points"\} 50/);
  });

  it('closes the gap when the missing transaction arrives late', async () => {
    await send('voucher.loyalty_card.points_added', { voucher: card(T2.created_at, 150, 150), transaction: T2 }, T2.created_at);
    expect((await get('/loyalty-cards/v_card_1/gaps')).json.data).toEqual([]);
    const ledger = await get('/loyalty-cards/v_card_1/ledger?limit=2');
    expect(ledger.json.data.map((e: any) => e.transaction_id)).toEqual(['vtx_3', 'vtx_2']);
    const next = await get(`/loyalty-cards/v_card_1/ledger?limit=2&cursor=${ledger.json.next_cursor}`);
    expect(next.json).toMatchObject({ next_cursor: null });
    expect(next.json.data.map((e: any) => e.transaction_id)).toEqual(['vtx_1']);
  });

  it('answers balances as of any time', async () => {
    expect((await get('/loyalty-cards/v_card_1?as_of=2024-01-01T00:00:00Z')).status).toBe(404);
    const between = await get('/loyalty-cards/CARD-1?as_of=2024-02-01T12:00:00Z');
    expect(between.json).toMatchObject({ voucher_id: 'v_card_1', balance: 100, points: 100, expired_points: 0, as_of: '2024-02-01T12:00:00.000Z' });
    const after = await get('/loyalty-cards/v_card_1?as_of=2024-03-01T00:00:00Z');
    expect(after.json).toMatchObject({ balance: 120, points: 150, expired_points: 30 });
    expect((await get('/customers/cust_ann?as_of=2024-01-01T00:00:00Z')).json.loyalty).toMatchObject({ balance: 0, points: 0, cards: 0 });
    expect((await get('/customers/cust_ann?as_of=2024-02-02T10:00:00Z')).json.loyalty).toMatchObject({ balance: 150, cards: 1 });
    expect((await get('/customers/cust_ann/loyalty-cards?as_of=2024-02-02T10:00:00Z')).json.data).toEqual([
      expect.objectContaining({ voucher_id: 'v_card_1', balance: 150 }),
    ]);
    for (const bad of ['yesterday', '2024-13-01', '0000-01-01T00:00:00Z', '%00']) {
      expect((await get(`/loyalty-cards/v_card_1?as_of=${bad}`)).status).toBe(400);
    }
  });

  it('reports a period with opening + movements = closing, and the liability at the value in force', async () => {
    const put = await app.admin('PUT', '/admin/campaigns/camp_coffee/point-value', { value: '0.0100', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' });
    expect(put.status).toBe(200);

    const report = await get('/reports/points?from=2024-02-02T00:00:00Z&to=2024-03-01T00:00:00Z');
    expect(report.status).toBe(200);
    const [coffee] = report.json.campaigns;
    expect(coffee).toMatchObject({
      campaign_id: 'camp_coffee',
      campaign_name: 'Coffee Club',
      opening_balance: 100,
      closing_balance: 120,
      cards: 1,
      breakage_rate: 1,
      currency: 'EUR',
      opening_liability: '1.0000',
      closing_liability: '1.2000',
    });
    expect(coffee.movements).toMatchObject({ added: 50, expired: -30, accrued: 0, unexplained: 0 });
    const moved = Object.values(coffee.movements as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(coffee.opening_balance + moved).toBe(coffee.closing_balance);

    const csv = await fetch(`${app.baseUrl}/reports/points?from=2024-02-02T00:00:00Z&to=2024-03-01T00:00:00Z`, { headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, row] = (await csv.text()).trim().split('\r\n');
    const fields = Object.fromEntries(header.split(',').map((name, i) => [name, row.split(',')[i]]));
    expect(fields).toMatchObject({ campaign_id: 'camp_coffee', opening_balance: '100', added: '50', expired: '-30', closing_balance: '120', closing_liability: '1.2000' });
    expect((await get('/reports/points?from=2024-03-01T00:00:00Z&to=2024-02-01T00:00:00Z')).status).toBe(400);
  });

  it('refuses cursors it did not issue with 400, never 500', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const bad of [
      'garbage',
      cursor({ at: '0000-01-01T00:00:00.000Z', seq: 1 }),
      cursor({ at: '+275760-09-13T00:00:00.000Z', seq: 1 }),
      cursor({ at: null, seq: 2 ** 40 }),
      cursor([1, 2]),
      '%00',
    ]) {
      expect((await get(`/loyalty-cards/v_card_1/ledger?cursor=${bad}`)).status).toBe(400);
    }
    for (const bad of ['garbage', cursor({ voucherId: 'v\u0000', entryKey: 'k' }), cursor({ voucherId: 'v' })]) {
      expect((await get(`/gaps?cursor=${bad}`)).status).toBe(400);
    }
    expect((await get(`/loyalty-cards/v_card_1/ledger?cursor=${cursor({ at: '2024-02-02T10:00:00.000Z', seq: 3 })}`)).status).toBe(200);
  });

  it('never takes a webhook for an operator event', async () => {
    const forged = envelope('ledger.point_value.set', { campaign_id: 'camp_coffee', value: '1000', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' });
    const answer = await postWebhook(app.baseUrl, JSON.stringify(forged), { secret: SECRET });
    expect(answer.status).toBe(422);
    expect(answer.json.details).toEqual(["type ledger.point_value.set is reserved for the ledger's operators"]);
    const report = await get('/reports/points?from=2024-02-02T00:00:00Z&to=2024-03-01T00:00:00Z');
    expect(report.json.campaigns[0].closing_liability).toBe('1.2000');
  });

  it('leaves a card out of the balances as of any time after its deletion, and keeps it before', async () => {
    // Delivered late and twice: the earliest deletion time counts, whatever the order.
    await send('voucher.deleted', { voucher: card('2024-04-10T00:00:00.000Z', 150, 120) }, '2024-04-10T00:00:00.000Z');
    await send('voucher.deleted', { voucher: card('2024-04-01T00:00:00.000Z', 150, 120) }, '2024-04-01T00:00:00.000Z');
    expect((await get('/customers/cust_ann?as_of=2024-03-15T00:00:00Z')).json.loyalty).toMatchObject({ balance: 120, cards: 1 });
    expect((await get('/customers/cust_ann?as_of=2024-04-05T00:00:00Z')).json.loyalty).toMatchObject({ balance: 0, points: 0, cards: 0 });
    expect((await get('/loyalty-cards/v_card_1?as_of=2024-03-15T00:00:00Z')).json).toMatchObject({ balance: 120, deleted: false });
    // Its 120 points were written off at the deletion: gone, as the customer's totals say.
    expect((await get('/loyalty-cards/v_card_1?as_of=2024-04-05T00:00:00Z')).json).toMatchObject({ balance: 0, deleted: true });
    expect((await get('/loyalty-cards/v_card_1')).json).toMatchObject({ status: 'deleted', deleted_at: '2024-04-01T00:00:00.000Z' });
  });

  it('counts an expiry by when it was booked or, with expiry_basis=due, by when its points were due, and the report adds up either way', async () => {
    // A card of its own: +100 in May; 40 of them due on 31 May, taken off by Voucherify's job at 00:02 on 1 June.
    const OTHER: TestCard = { id: 'v_card_exp', code: 'CARD-EXP', campaignId: 'camp_expiry', campaignName: 'Expiry', holderId: 'cust_exp' };
    const accrual = cardTransaction(OTHER, 'vtx_exp_1', 'POINTS_ACCRUAL', 100, 100, '2024-05-10T10:00:00.000Z');
    const expiry = cardTransaction(OTHER, 'vtx_exp_2', 'POINTS_EXPIRATION', -40, 60, '2024-06-01T00:02:00.000Z');
    await send('voucher.loyalty_card.transaction.created', { voucher: cardAt(OTHER, accrual.created_at, 100, 100), transaction: accrual }, accrual.created_at);
    // The transaction.created report first, without buckets; points_expired tells the due date.
    await send('voucher.loyalty_card.transaction.created', { voucher: cardAt(OTHER, expiry.created_at, 100, 60), transaction: expiry }, expiry.created_at);
    await send(
      'voucher.loyalty_card.points_expired',
      { voucher: cardAt(OTHER, expiry.created_at, 100, 60), transaction: expiry, buckets: [{ id: 'lopb_1', expires_at: '2024-05-31', total_points: 40 }] },
      expiry.created_at,
    );
    const entries = (await get('/loyalty-cards/v_card_exp/ledger')).json.data;
    expect(entries[0]).toMatchObject({ transaction_id: 'vtx_exp_2', kind: 'expired', occurred_at: expiry.created_at, due_at: '2024-05-31T00:00:00.000Z' });

    const report = async (from: string, to: string, basis?: string) => {
      const answer = await get(`/reports/points?from=${from}&to=${to}&campaign_id=camp_expiry${basis ? `&expiry_basis=${basis}` : ''}`);
      expect(answer.status).toBe(200);
      const c = answer.json.campaigns[0];
      const movements = Object.values(c.movements as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(c.opening_balance + movements).toBe(c.closing_balance);
      return [answer.json.expiry_basis, c.opening_balance, c.movements.expired, c.closing_balance];
    };
    const MAY = ['2024-05-01T00:00:00Z', '2024-06-01T00:00:00Z'] as const;
    const JUNE = ['2024-06-01T00:00:00Z', '2024-07-01T00:00:00Z'] as const;
    expect(await report(...MAY)).toEqual(['booked', 0, 0, 100]);
    expect(await report(...JUNE)).toEqual(['booked', 100, -40, 60]);
    expect(await report(...MAY, 'due')).toEqual(['due', 0, -40, 60]);
    expect(await report(...JUNE, 'due')).toEqual(['due', 60, 0, 60]);
    expect((await get(`/reports/points?from=${MAY[0]}&to=${MAY[1]}&expiry_basis=later`)).status).toBe(400);
  });
});
