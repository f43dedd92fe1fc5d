import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';
import { getJson } from '../support/read-api';
import { cardAt, cardTransaction, TestCard } from '../support/loyalty-payloads';

const SECRET = 'whsec-test-0123456789abcdef';

const CARD: TestCard = { id: 'v_card_fx', code: 'CARD-FX', campaignId: 'camp_fx', holderId: 'cust_fx' };
const card = (updatedAt: string, points: number, balance: number) => cardAt(CARD, updatedAt, points, balance);

const T1 = cardTransaction(CARD, 'vtx_fx_1', 'POINTS_ADDITION', 100, 100, '2024-02-01T10:00:00.000Z');

const redemption = (state: string) => ({
  reward_redemption: { id: 'rewr_fx', customer_id: 'cust_fx', voucher_id: 'v_card_fx', state },
  reward: { id: 'rew_fx', name: 'Mug', type: 'MATERIAL' },
});

describe('GET /events/{id}/effects: what one webhook produced', () => {
  let db: TestDatabase;
  let service: TestApp;
  let head = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [SECRET], projectorPollMs: 50 });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const send = async (type: string, data: unknown, createdAt: string, eventId: string) => {
    const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope(type, data, { createdAt, eventId })), { secret: SECRET });
    expect(answer.status).toBe(202);
    head = Math.max(head, answer.json.position);
  };
  const effects = async (eventId: string) => {
    const answer = await getJson(service.baseUrl, `/events/${eventId}/effects`, head);
    expect(answer.status).toBe(200);
    return answer.json;
  };

  it('names the one ledger entry every report of a transaction made, and the card state it set', async () => {
    await send('voucher.published', { voucher: card('2024-01-15T00:00:00.000Z', 0, 0) }, '2024-01-15T00:00:00.000Z', 'ev_fx_published');
    await send('voucher.loyalty_card.transaction.created', { voucher: card(T1.created_at, 100, 100), transaction: T1 }, T1.created_at, 'ev_fx_tx');
    await send('voucher.loyalty_card.points_added', { voucher: card(T1.created_at, 100, 100), transaction: T1 }, T1.created_at, 'ev_fx_twin');

    for (const id of ['ev_fx_tx', 'ev_fx_twin']) {
      const produced = await effects(id);
      expect(produced.ledger_entries).toEqual([
        expect.objectContaining({ transaction_id: 'vtx_fx_1', points: 100, balance_after: 100, event_ids: ['ev_fx_twin', 'ev_fx_tx'] }),
      ]);
      expect(produced).toMatchObject({ event_id: id, parked: [], pending_projections: [] });
    }
    // A snapshot that moved nothing makes no entry. The card's state in force is the newest event's
    // (the two reports share a time: the larger event id wins the tie).
    expect((await effects('ev_fx_published')).ledger_entries).toEqual([]);
    expect((await effects('ev_fx_tx')).cards_in_force).toEqual([expect.objectContaining({ voucher_id: 'v_card_fx', balance: 100 })]);
    expect((await effects('ev_fx_twin')).cards_in_force).toEqual([]);
  });

  it('shows a redemption transition applied, and one the state machine ignored with its reason', async () => {
    await send('customer.reward_redemptions.created', redemption('CREATED'), '2024-02-02T10:00:00.000Z', 'ev_fx_created');
    await send('customer.reward_redemptions.completed', redemption('COMPLETED'), '2024-02-02T11:00:00.000Z', 'ev_fx_completed');
    await send('customer.reward_redemptions.pending', redemption('PENDING'), '2024-02-02T12:00:00.000Z', 'ev_fx_late_pending');

    expect((await effects('ev_fx_completed')).redemption_transitions).toEqual([
      expect.objectContaining({ reward_redemption_id: 'rewr_fx', from: 'CREATED', to: 'COMPLETED', applied: true, state_now: 'COMPLETED' }),
    ]);
    expect((await effects('ev_fx_late_pending')).redemption_transitions).toEqual([
      expect.objectContaining({ from: 'COMPLETED', to: 'PENDING', applied: false, ignored_reason: 'a COMPLETED redemption never moves back' }),
    ]);
  });

  it('answers 404 for an unknown event and 400 for an id it cannot take', async () => {
    expect((await getJson(service.baseUrl, '/events/ev_nobody/effects')).status).toBe(404);
    expect((await getJson(service.baseUrl, '/events/%00/effects')).status).toBe(400);
  });
});
