import fc from 'fast-check';

/**
 * Generates consistent Voucherify histories: customers with a loyalty card, points added and
 * expired, reward redemptions going PENDING → COMPLETED (with a reward voucher published) or
 * ROLLEDBACK, discount vouchers published and used. Payloads follow the shapes of the fixtures.
 * Used by the property tests and the benchmarks.
 */
export interface GeneratedEvent {
  eventId: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

export interface ExpectedCard {
  customerId: string;
  voucherId: string;
  points: number;
  balance: number;
  redeemedPoints: number;
  expiredPoints: number;
}

export interface GeneratedHistory {
  events: GeneratedEvent[];
  cards: ExpectedCard[];
  redemptionStates: Record<string, string>;
  /** Only with `extras`: each customer's tier in the loyalty campaign (null after `left`), for those with a tier event. */
  tiers: Record<string, string | null>;
  /** Only with `extras`: the discount campaign's status, when a campaign event was generated. */
  discountCampaignStatus: 'active' | 'disabled' | null;
  /** Only with `extras`: per customer, the vouchers held through a holder assignment not deleted. */
  assignedVouchers: Record<string, string[]>;
}

type Step =
  | { kind: 'add'; amount: number }
  | { kind: 'expire'; fraction: number }
  | { kind: 'reward'; price: number; outcome: 'COMPLETED' | 'ROLLEDBACK' }
  | { kind: 'publish' }
  | { kind: 'use' }
  // Only with `extras` (opt-in, so that the histories of fixed seeds stay what they were):
  | { kind: 'tier'; move: 'upgraded' | 'downgraded' | 'prolonged' | 'left' }
  | { kind: 'campaign'; enabled: boolean }
  | { kind: 'assign'; remove: boolean };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), amount: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ kind: fc.constant('expire' as const), fraction: fc.double({ min: 0.1, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('reward' as const),
    price: fc.integer({ min: 1, max: 300 }),
    outcome: fc.constantFrom('COMPLETED' as const, 'ROLLEDBACK' as const),
  }),
  fc.record({ kind: fc.constant('publish' as const) }),
  fc.record({ kind: fc.constant('use' as const) }),
);

/** Tier changes, the discount campaign disabled and enabled, referral codes assigned to the customer and taken back. */
const extraStepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  stepArbitrary,
  fc.record({ kind: fc.constant('tier' as const), move: fc.constantFrom('upgraded' as const, 'downgraded' as const, 'prolonged' as const, 'left' as const) }),
  fc.record({ kind: fc.constant('campaign' as const), enabled: fc.boolean() }),
  fc.record({ kind: fc.constant('assign' as const), remove: fc.boolean() }),
);

export const historyArbitrary = (
  maxCustomers = 3,
  maxSteps = 12,
  minCustomers = 1,
  minSteps = 0,
  options: { extras?: boolean } = {},
): fc.Arbitrary<GeneratedHistory> =>
  fc
    .array(fc.array(options.extras ? extraStepArbitrary : stepArbitrary, { minLength: minSteps, maxLength: maxSteps }), {
      minLength: minCustomers,
      maxLength: maxCustomers,
    })
    .chain((plans) => fc.integer({ min: 0, max: 10_000 }).map((seed) => buildHistory(plans, seed)));

const BASE_TIME = Date.parse('2024-05-13T10:00:00.000Z');

/** Deterministic history from per-customer plans; `salt` keeps ids unique across runs. */
export function buildHistory(plans: Step[][], salt: number): GeneratedHistory {
  const events: GeneratedEvent[] = [];
  const cards: ExpectedCard[] = [];
  const redemptionStates: Record<string, string> = {};
  const tiers: Record<string, string | null> = {};
  const assignedVouchers: Record<string, string[]> = {};
  let newestCampaignEvent: { at: string; eventId: string; enabled: boolean } | undefined;
  let counter = 0;
  const id = (prefix: string) => `${prefix}${salt.toString(36)}x${(counter++).toString(36)}`;

  plans.forEach((plan, c) => {
    const customer = { id: `cust_${salt}c${c}`, source_id: `src-${salt}-${c}`, name: `Customer ${c}`, object: 'customer' };
    const card = { voucherId: `v_card${salt}c${c}`, code: `CARD${salt}C${c}` };
    const state = { points: 0, balance: 0, redeemed: 0, expired: 0, redeemedQuantity: 0 };
    // Each customer's events are 1..60 s apart; customers interleave in time.
    let clock = BASE_TIME + c * 7_000;
    const tick = () => new Date((clock += 1000 + ((counter * 7919) % 59_000))).toISOString();
    const cardVoucher = (at: string) => ({
      id: card.voucherId,
      code: card.code,
      type: 'LOYALTY_CARD',
      campaign: 'Loyalty programme',
      campaign_id: 'camp_loyalty',
      holder_id: customer.id,
      active: true,
      created_at: new Date(BASE_TIME).toISOString(),
      updated_at: at,
      loyalty_card: { points: state.points, balance: state.balance, expired_points: state.expired },
      redemption: { quantity: null, redeemed_quantity: state.redeemedQuantity, redeemed_points: state.redeemed },
    });
    const push = (type: string, at: string, data: Record<string, unknown>) =>
      events.push({ eventId: id('evt_'), type, createdAt: at, data });
    const balanceObject = (delta: number) => ({
      type: 'loyalty_card',
      points: delta,
      total: state.points,
      balance: state.balance,
      operation_type: 'MANUAL',
      related_object: { id: card.voucherId, type: 'voucher' },
    });
    const discountVoucher = (voucherId: string, code: string, at: string, redeemed: number) => ({
      id: voucherId,
      code,
      type: 'DISCOUNT_VOUCHER',
      campaign: 'Discount coupons',
      campaign_id: 'camp_discount',
      holder_id: customer.id,
      active: true,
      discount: { type: 'PERCENT', percent_off: 10 },
      created_at: at,
      updated_at: at,
      redemption: { quantity: 1, redeemed_quantity: redeemed },
    });
    const published: { voucherId: string; code: string; at: string; used: boolean }[] = [];
    const TIERS = ['bronze', 'silver', 'gold'].map((name) => ({ id: `ltr_${name}`, object: 'loyalty_tier', name, campaign_id: 'camp_loyalty' }));
    let tier: number | null = null;

    const publishedAt = tick();
    push('voucher.published', publishedAt, {
      customer,
      voucher: cardVoucher(publishedAt),
      publication: { id: id('pub_'), customer_id: customer.id, created_at: publishedAt, result: 'SUCCESS' },
    });

    for (const step of plan) {
      const at = tick();
      if (step.kind === 'add') {
        state.points += step.amount;
        state.balance += step.amount;
        push('voucher.loyalty_card.points_added', at, { customer, voucher: cardVoucher(at), balance: balanceObject(step.amount) });
      } else if (step.kind === 'expire') {
        const amount = Math.floor(state.balance * step.fraction);
        if (amount === 0) continue;
        state.expired += amount;
        state.balance -= amount;
        push('voucher.loyalty_card.points_expired', at, { customer, voucher: cardVoucher(at), balance: balanceObject(-amount) });
      } else if (step.kind === 'reward') {
        if (step.price > state.balance) continue;
        const rewr = id('rewr_');
        const base = {
          customer_id: customer.id,
          voucher_id: card.voucherId,
          campaign_id: 'camp_loyalty',
          source_id: id('r_'),
          created_at: at,
          reward_assignment_id: 'rewa_1',
        };
        const reward = { id: 'rew_1', name: 'Coupon', type: 'COIN' };
        const assignment = { id: 'rewa_1', reward_id: 'rew_1', parameters: { loyalty: { points: step.price } } };
        state.redeemed += step.price;
        state.balance -= step.price;
        state.redeemedQuantity += 1;
        push('customer.reward_redemptions.pending', at, {
          customer,
          voucher: cardVoucher(at),
          reward,
          reward_assignment: assignment,
          reward_redemption: { id: rewr, state: 'PENDING', ...base },
          balance: balanceObject(-step.price),
        });
        const later = tick();
        if (step.outcome === 'COMPLETED') {
          const voucherId = id('v_disc');
          const code = id('DISC');
          published.push({ voucherId, code, at: later, used: false });
          push('customer.reward_redemptions.completed', later, {
            customer,
            voucher: cardVoucher(later),
            reward: { ...reward, voucher: discountVoucher(voucherId, code, later, 0) },
            reward_assignment: assignment,
            reward_redemption: { id: rewr, state: 'COMPLETED', ...base },
            publication: { id: id('pub_'), customer_id: customer.id, created_at: later, voucher: discountVoucher(voucherId, code, later, 0) },
          });
        } else {
          state.redeemed -= step.price;
          state.balance += step.price;
          push('customer.reward_redemptions.rolledback', later, {
            customer,
            voucher: cardVoucher(later),
            reward,
            reward_assignment: assignment,
            reward_redemption: { id: rewr, state: 'ROLLEDBACK', ...base },
            balance: balanceObject(step.price),
          });
        }
        redemptionStates[rewr] = step.outcome;
      } else if (step.kind === 'publish') {
        const voucherId = id('v_pub');
        const code = id('PUB');
        published.push({ voucherId, code, at, used: false });
        push('voucher.published', at, {
          customer,
          voucher: discountVoucher(voucherId, code, at, 0),
          publication: { id: id('pub_'), customer_id: customer.id, created_at: at, result: 'SUCCESS' },
        });
      } else if (step.kind === 'tier') {
        const campaign = { id: 'camp_loyalty', name: 'Loyalty programme' };
        const base = { customer, campaign, created_at: at };
        if (tier === null) {
          if (step.move === 'left') continue;
          tier = 0;
          push('customer.loyalty.tier.joined', at, { ...base, loyalty_tier: TIERS[0] });
        } else if (step.move === 'left') {
          push('customer.loyalty.tier.left', at, { ...base, loyalty_tier: TIERS[tier] });
          tier = null;
        } else if (step.move === 'upgraded' && tier < TIERS.length - 1) {
          push('customer.loyalty.tier.upgraded', at, { ...base, loyalty_tier_from: TIERS[tier], loyalty_tier_to: TIERS[tier + 1] });
          tier += 1;
        } else if (step.move === 'downgraded' && tier > 0) {
          push('customer.loyalty.tier.downgraded', at, { ...base, loyalty_tier_from: TIERS[tier], loyalty_tier_to: TIERS[tier - 1] });
          tier -= 1;
        } else {
          push('customer.loyalty.tier.prolonged', at, { ...base, loyalty_tier: TIERS[tier] });
        }
        tiers[customer.id] = tier === null ? null : TIERS[tier].id;
      } else if (step.kind === 'campaign') {
        const type = step.enabled ? 'campaign.enabled' : 'campaign.disabled';
        push(type, at, { campaign: { id: 'camp_discount', name: 'Discount coupons', active: step.enabled, updated_at: at } });
        const event = { at, eventId: events[events.length - 1].eventId, enabled: step.enabled };
        const newer = !newestCampaignEvent || Date.parse(at) > Date.parse(newestCampaignEvent.at) || (at === newestCampaignEvent.at && event.eventId > newestCampaignEvent.eventId);
        if (newer) newestCampaignEvent = event;
      } else if (step.kind === 'assign') {
        // A referral code owned by someone else, assigned to this customer as a referee.
        const voucherId = id('v_ref');
        const referral = { ...discountVoucher(voucherId, id('REF'), at, 0), holder_id: `cust_${salt}referrer`, campaign_id: 'camp_referral', campaign: 'Referrals' };
        const holder = {
          id: id('rh_'),
          object: 'redeemable_holder',
          customer_id: customer.id,
          holder_role: 'REFEREE',
          redeemable_id: voucherId,
          campaign_id: 'camp_referral',
          campaign_type: 'REFERRAL_PROGRAM',
          voucher_type: 'DISCOUNT_VOUCHER',
          created_at: at,
        };
        push('customer.holder.assignment.created', at, { customer, holder, voucher: referral });
        assignedVouchers[customer.id] ??= [];
        if (step.remove) push('customer.holder.assignment.deleted', tick(), { customer, holder, voucher: referral });
        else assignedVouchers[customer.id].push(voucherId);
      } else {
        const unused = published.find((p) => !p.used);
        if (!unused) continue;
        unused.used = true;
        push('redemption.succeeded', at, {
          customer,
          voucher: { ...discountVoucher(unused.voucherId, unused.code, at, 1), created_at: unused.at },
          redemption: { id: id('r_'), customer_id: customer.id, result: 'SUCCESS', date: at },
        });
      }
    }
    cards.push({
      customerId: customer.id,
      voucherId: card.voucherId,
      points: state.points,
      balance: state.balance,
      redeemedPoints: state.redeemed,
      expiredPoints: state.expired,
    });
  });
  const discountCampaignStatus = newestCampaignEvent ? (newestCampaignEvent.enabled ? 'active' : 'disabled') : null;
  return { events, cards, redemptionStates, tiers, discountCampaignStatus, assignedVouchers };
}

/** The v2024-01-01 envelope Voucherify would send for a generated event (a new delivery id each time). */
export function toEnvelope(event: GeneratedEvent, deliveryId: string) {
  return {
    id: deliveryId,
    project_id: 'proj_generated',
    created_at: event.createdAt,
    type: event.type,
    data: event.data,
    source: { id: 'wh_generated', object: 'webhook' },
    event: { id: event.eventId, type: event.type, created_at: event.createdAt },
  };
}
