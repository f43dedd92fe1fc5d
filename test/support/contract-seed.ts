import { setCampaignSettings } from './campaign-settings';
import type { TestApp } from './test-app';
import { envelope, FIXTURE_TYPES, loadFixtureData, postWebhook } from './voucherify';
import { cardAt, cardTransaction, TestCard } from './loyalty-payloads';

export const SEED_SECRET = 'contract-secret-0123456789';
export const SEED_ADMIN = 'contract-admin-0123456789abcdef';
export const SEED_READ = 'contract-read-0123456789abcdef';

/** What a seeded service holds, to fill the path parameters of every route. */
export interface Seeded {
  head: number;
  eventId: string;
  customerId: string;
  cardCode: string;
  voucherCode: string;
  rewardRedemptionId: string;
  campaignId: string;
}

const CARD: TestCard = { id: 'v_card_1', code: 'CARD-1', campaignId: 'camp_coffee', campaignName: 'Coffee Club', holderId: 'cust_IdgAFZxYwwHctOk9pPuMu308' };
const card = (updatedAt: string, points: number, balance: number) => cardAt(CARD, updatedAt, points, balance);

const transaction = (id: string, type: string, points: number, balance: number, createdAt: string) => cardTransaction(CARD, id, type, points, balance, createdAt);

/**
 * Fills a service with a bit of everything its routes show: the Voucherify fixtures (a customer,
 * a voucher, reward redemptions), a loyalty card with a ledger, an open gap and pending points, a point value and a revenue estimate,
 * and refused deliveries of both kinds.
 */
export async function seedService(service: TestApp): Promise<Seeded> {
  let head = 0;
  let eventId = '';
  const send = async (type: string, data: unknown, createdAt?: string) => {
    const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope(type, data, { createdAt })), { secret: SEED_SECRET });
    if (answer.status !== 202) throw new Error(`seed refused: ${answer.status} ${answer.text}`);
    head = Math.max(head, answer.json.position);
    eventId ||= answer.json.event_id;
  };
  for (const type of FIXTURE_TYPES) await send(type, loadFixtureData(type));
  const t1 = transaction('vtx_1', 'POINTS_ACCRUAL', 100, 100, '2024-02-01T10:00:00.000Z');
  const t3 = transaction('vtx_3', 'POINTS_EXPIRATION', -30, 120, '2024-02-03T10:00:00.000Z');
  await send('voucher.published', { voucher: card('2024-01-15T00:00:00.000Z', 0, 0) }, '2024-01-15T00:00:00.000Z');
  await send('voucher.loyalty_card.points_added', { voucher: card(t1.created_at, 100, 100), transaction: t1, balance: t1.details.balance }, t1.created_at);
  await send('voucher.loyalty_card.transaction.created', { voucher: card(t3.created_at, 150, 120), transaction: t3 }, t3.created_at);
  await send(
    'voucher.loyalty_card.pending_points.added',
    {
      voucher: card('2024-02-04T10:00:00.000Z', 150, 120),
      pending_points: { id: 'lopp_1', voucher_id: CARD.id, points: 40, activates_at: '2024-03-04T00:00:00.000Z', order_id: 'ord_1' },
      voucher_pending_points_balance: { type: 'loyalty_card', points: 40, total: 40, related_object: { id: CARD.id, type: 'voucher' } },
    },
    '2024-02-04T10:00:00.000Z',
  );

  // A customer the contract erases (POST /admin/erasures answering 202).
  await send('customer.created', { customer: { id: 'cust_contract_erasable', object: 'customer', name: 'Erin Erasable', email: 'erin@example.com' } }, '2024-02-05T10:00:00.000Z');

  // A point value and a revenue estimate, so the report's liability and deferred revenue are not null.
  head = Math.max(head, await setCampaignSettings(service.baseUrl, SEED_ADMIN, 'camp_coffee'));

  await postWebhook(service.baseUrl, '[1]', { secret: SEED_SECRET }); // 422, kept in rejected_deliveries
  await postWebhook(service.baseUrl, '{}', { signature: '0'.repeat(64) }); // 401, counted
  return {
    head,
    eventId,
    customerId: 'cust_IdgAFZxYwwHctOk9pPuMu308',
    cardCode: 'CARD-1',
    voucherCode: 'L0y4L',
    rewardRedemptionId: 'rewr_N5xhKgV5tJBmJxrtb5YB7V3q',
    campaignId: 'camp_coffee',
  };
}
