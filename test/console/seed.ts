import type { Pool } from 'pg';
import { parkEvents } from '../../libs/event-store/src/projector/dead-letters';
import { RefusalCounts } from '../../apps/ledger/src/rejected-deliveries/refusal-counts';
import { FakeCard, FakeVoucherify, startFakeVoucherify } from '../support/fake-voucherify';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { cardAt, cardTransaction, TestCard } from '../support/loyalty-payloads';
import { envelope, loadFixtureData, postWebhook } from '../support/voucherify';
import { eraseCustomer } from '../../apps/ledger/src/erasure/erase.cli';
import { loadConfig } from '../../apps/ledger/src/config/ledger-config';
import { setCampaignSettings } from '../support/campaign-settings';
import { verifyLog } from '../../apps/ledger/src/log/verify.cli';

/**
 * A small shop's history for the console's browser tests and screenshots, sent the way Voucherify
 * sends it (signed webhooks through the real endpoint) plus what an operator does (a point value, a revenue estimate):
 * Ann's coffee card with a missing webhook (a gap of 50 points), John's reward redemption (from
 * the Voucherify fixtures) with a late PENDING that is ignored, points pending on two of Ann's orders
 * (one cancelled), a signed delivery that is refused,
 * an unsigned one that is only counted, and one event parked for a projection.
 */
export const SEED = {
  customer: 'cust_ann',
  customerName: 'Ann Example',
  card: 'v_card_ann',
  cardCode: 'ANN-COFFEE-1',
  campaign: 'camp_coffee',
  /** Ann's balance at the end of each day (UTC) a test picks. */
  balanceOn: { '2024-02-01': 100, '2024-02-10': 120, '2024-03-20': 200 } as Record<string, number>,
  balanceNow: 200,
  /** Ann's pending points now: an order's 80 still pending (another's 40 was cancelled). */
  pendingNow: 80,
  refusedReason: 'invalid_envelope',
  /** Customers the console erases: one in the seed (the list shows it), one in the browser test. */
  erasedCustomer: 'cust_yan',
  erasableCustomer: 'cust_zoe',
  /** The Voucherify fixtures' customer, who redeems a reward. */
  redeemingCustomer: 'cust_2myfc5acSBgoMV72R5tyTBc8',
  parkedProjection: 'voucher_holdings',
  reportPeriod: { from: '2024-02-01', to: '2024-04-01' },
  /** A second programme's card whose next expiry the webhooks tell: points due next month. */
  expiringCustomer: 'cust_dan',
  expiringCampaign: 'camp_tea',
  expiringNextMonth: 120,
};

const CARD: TestCard = { id: SEED.card, code: SEED.cardCode, campaignId: SEED.campaign, campaignName: 'Coffee Club', holderId: SEED.customer };
const card = (updatedAt: string, points: number, balance: number) => cardAt(CARD, updatedAt, points, balance);
const transaction = (id: string, type: string, points: number, balance: number, createdAt: string, reason: string | null = null) =>
  cardTransaction(CARD, id, type, points, balance, createdAt, reason);
const ann = { id: SEED.customer, name: SEED.customerName, email: 'ann@example.com', source_id: 'ann-0001', object: 'customer' };

const T1 = transaction('vtx_ann_1', 'POINTS_ACCRUAL', 100, 100, '2024-02-01T10:00:00.000Z', 'order ord_1001');
/** Voucherify has it; its webhook never reaches the ledger (the gap). */
const T2 = transaction('vtx_ann_2', 'POINTS_ADDITION', 50, 150, '2024-02-02T10:00:00.000Z', 'birthday bonus');
const T3 = transaction('vtx_ann_3', 'POINTS_EXPIRATION', -30, 120, '2024-02-03T10:00:00.000Z');
const T4 = transaction('vtx_ann_4', 'POINTS_ACCRUAL', 80, 200, '2024-03-10T10:00:00.000Z', 'order ord_1002');

/** What Voucherify's API holds for the shop (a fake Voucherify's data): Ann's card with every transaction, the lost one included. */
export function voucherifyCards(): Map<string, Map<string, FakeCard>> {
  const voucher = { ...card(T4.created_at, 230, 200), object: 'voucher' };
  return new Map([[SEED.campaign, new Map([[SEED.card, { voucher, balance: 200, transactions: [T4, T3, T2, T1] }]])]]);
}

export interface SeedResult {
  /** The highest log position written: pass as X-Min-Position to read what it produced. */
  head: number;
  eventIds: string[];
  /** The event Ann's first purchase arrived in. */
  accrualEventId: string;
}

export async function seedShop(baseUrl: string, options: { secret: string; adminToken: string; pool: Pool }): Promise<SeedResult> {
  let head = 0;
  const eventIds: string[] = [];
  const send = async (type: string, data: unknown, createdAt: string, eventId?: string) => {
    const body = JSON.stringify(envelope(type, data, { createdAt, eventId }));
    const answer = await postWebhook(baseUrl, body, { secret: options.secret });
    if (answer.status !== 202 && answer.status !== 200) throw new Error(`seeding ${type}: ${answer.status} ${answer.text}`);
    head = Math.max(head, answer.json.position);
    eventIds.push(answer.json.event_id);
    return answer.json.event_id as string;
  };

  await send('customer.created', { customer: ann }, '2024-01-10T09:00:00.000Z');
  for (const [id, name] of [[SEED.erasedCustomer, 'Yan Gone'], [SEED.erasableCustomer, 'Zoe Leaving']]) {
    await send('customer.created', { customer: { id, object: 'customer', name, email: `${id}@example.com`, source_id: `${id}@example.com` } }, '2024-01-11T09:00:00.000Z');
  }
  await send('voucher.published', { customer: ann, voucher: card('2024-01-15T10:00:00.000Z', 0, 0), created_at: '2024-01-15T10:00:00.000Z' }, '2024-01-15T10:00:00.000Z');
  const t1 = T1;
  const accrualEventId = await send('voucher.loyalty_card.points_added', { customer: ann, voucher: card(t1.created_at, 100, 100), transaction: t1 }, t1.created_at, 'evt_ann_accrual_1');
  // vtx_ann_2 (+50 on 2024-02-02) never arrives: the ledger shows a gap of 50 points before vtx_ann_3.
  const t3 = T3;
  await send('voucher.loyalty_card.transaction.created', { customer: ann, voucher: card(t3.created_at, 150, 120), transaction: t3 }, t3.created_at);
  const t4 = T4;
  await send('voucher.loyalty_card.points_added', { customer: ann, voucher: card(t4.created_at, 230, 200), transaction: t4 }, t4.created_at);
  // Points held back on two orders (each movement reported twice, by the voucher. webhook and its customer. twin); one order is returned.
  const pendingMovement = async (type: string, at: string, entry: string, points: number, change: number, total: number) => {
    const data = {
      customer: ann,
      voucher: { ...card(at, 230, 200), loyalty_card: { points: 230, balance: 200, pending_points: total } },
      pending_points: { id: entry, voucher_id: SEED.card, points, activates_at: '2024-04-15T00:00:00.000Z', order_id: `ord_${entry}` },
      voucher_pending_points_balance: { type: 'loyalty_card', points: change, total, related_object: { id: SEED.card, type: 'voucher' } },
    };
    await send(`voucher.loyalty_card.pending_points.${type}`, data, at);
    await send(`customer.voucher.loyalty_card.pending_points.${type}`, data, at);
  };
  await pendingMovement('added', '2024-03-12T10:00:00.000Z', 'lopp_ann_1', 80, 80, 80);
  await pendingMovement('added', '2024-03-13T10:00:00.000Z', 'lopp_ann_2', 40, 40, 120);
  await pendingMovement('canceled', '2024-03-14T10:00:00.000Z', 'lopp_ann_2', 40, -40, 80);

  // John (the fixtures' customer) redeems a reward: pending, completed, then a late PENDING that is ignored.
  const pending = loadFixtureData('customer.reward_redemptions.pending');
  const completed = loadFixtureData('customer.reward_redemptions.completed');
  await send('customer.reward_redemptions.pending', pending, '2024-05-13T12:34:10.464Z');
  await send('customer.reward_redemptions.completed', completed, '2024-05-13T12:40:00.000Z');
  // A PENDING report of the completed redemption, dated after its completion: a finished redemption never moves back.
  const late = structuredClone(pending) as any;
  late.reward_redemption.id = (completed as any).reward_redemption.id;
  late.reward_redemption.updated_at = '2024-05-13T13:00:00.000Z';
  await send('customer.reward_redemptions.pending', late, '2024-05-13T13:00:00.000Z');
  await send('voucher.published', loadFixtureData('voucher.published'), '2024-05-14T08:00:00.000Z');

  // Dan's tea card: 300 points earned this year, 120 of them due next month (what will expire, as the webhooks tell it).
  const dan = { id: SEED.expiringCustomer, name: 'Dan Example', object: 'customer' };
  const TEA: TestCard = { id: 'v_card_dan', code: 'DAN-TEA-1', campaignId: SEED.expiringCampaign, campaignName: 'Tea Club', holderId: dan.id };
  const earned = cardTransaction(TEA, 'vtx_dan_1', 'POINTS_ACCRUAL', 300, 300, `${new Date().getUTCFullYear()}-01-05T10:00:00.000Z`, 'order ord_2001');
  const due = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 15)).toISOString().slice(0, 10);
  const teaCard = { ...cardAt(TEA, earned.created_at, 300, 300), loyalty_card: { points: 300, balance: 300, next_expiration_date: due, next_expiration_points: SEED.expiringNextMonth } };
  await send('voucher.loyalty_card.points_added', { customer: dan, voucher: teaCard, transaction: earned, balance: earned.details.balance }, earned.created_at);

  // The operator sets the value of a point (the report's liability) and a revenue estimate (its deferred revenue).
  head = Math.max(head, await setCampaignSettings(baseUrl, options.adminToken, SEED.campaign));

  // A signed delivery that is not a Voucherify event (kept whole), and an unsigned one (only counted).
  const refused = await postWebhook(baseUrl, JSON.stringify({ hello: 'a test sender', data: 'no type, no event id' }), { secret: options.secret });
  if (refused.status !== 422) throw new Error(`refused delivery: ${refused.status}`);
  await postWebhook(baseUrl, JSON.stringify(envelope('customer.created', { customer: ann })), { signature: 'not-a-signature' });

  // A customer erased (as an operator would), then a verify of the log, which the overview shows.
  const erased = await eraseCustomer(options.pool, loadConfig({}, { erasureRefreshMs: 50 }), SEED.erasedCustomer, 'request #17');
  if (erased.status !== 'done') throw new Error(`erasure: ${erased.status} ${erased.error}`);
  head = Math.max(head, erased.result!.record_position);
  await verifyLog(options.pool);

  // One event a projection could not apply (as a bug would park it), to retry from the console.
  const client = await options.pool.connect();
  try {
    const parked = await client.query<{ position: string }>('SELECT global_position AS position FROM events WHERE event_id = $1', [accrualEventId]);
    await parkEvents(client, SEED.parkedProjection, [
      { event: { eventId: accrualEventId, position: Number(parked.rows[0].position) }, error: new Error('voucher holding: unreadable publication (a bug since fixed)') } as any,
    ]);
  } finally {
    client.release();
  }
  return { head, eventIds, accrualEventId };
}

export interface ShopService {
  db: TestDatabase;
  service: TestApp;
  voucherify: FakeVoucherify;
  head: number;
  close(): Promise<void>;
}

/**
 * The seeded shop behind the console's browser tests and screenshots: a database, a fake
 * Voucherify holding the shop's card (the lost transaction included), and the service serving the
 * built console in `consoleDir`, with the shop's history sent through it.
 */
export async function startShopService(options: { consoleDir: string; secret: string; adminToken: string; readToken: string }): Promise<ShopService> {
  const db = await createTestDatabase();
  const voucherify = await startFakeVoucherify(voucherifyCards());
  const service = await startTestApp(db.url, {
    webhookSecrets: [options.secret],
    adminToken: options.adminToken,
    readTokens: [options.readToken],
    projectorPollMs: 50,
    consoleDir: options.consoleDir,
    voucherifyAppId: voucherify.appId,
    voucherifySecretKey: voucherify.secretKey,
    voucherifyApiUrl: voucherify.url,
  });
  const { head } = await seedShop(service.baseUrl, { secret: options.secret, adminToken: options.adminToken, pool: db.pool });
  // Unsigned refusals are counted in memory and written every few seconds: written now, so the
  // overview and the API read the same count whenever each looks.
  await service.app.get(RefusalCounts).flush();
  return {
    db,
    service,
    voucherify,
    head,
    async close() {
      await service.close();
      await voucherify.close();
      await db.drop();
    },
  };
}
