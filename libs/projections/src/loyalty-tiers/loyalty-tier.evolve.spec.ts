import { projectedEvent } from '../test-events';
import { evolveLoyaltyTier, LoyaltyTierState, loyaltyTierKeys, MAX_TIER_HISTORY, tierKey } from './loyalty-tier.evolve';

const tier = (id: string, name: string) => ({ id, object: 'loyalty_tier', name, campaign_id: 'camp_l', points: { from: 0, to: 100 } });
const BRONZE = tier('ltr_bronze', 'Bronze');
const SILVER = tier('ltr_silver', 'Silver');
const base = (minute: number) => ({
  customer: { id: 'cust_t', object: 'customer' },
  campaign: { id: 'camp_l', name: 'Loyalty' },
  created_at: `2024-05-13T10:${String(minute).padStart(2, '0')}:00.000Z`,
});
const joined = projectedEvent('customer.loyalty.tier.joined', { ...base(1), loyalty_tier: BRONZE }, null, 'ev_joined');
const upgraded = projectedEvent('customer.loyalty.tier.upgraded', { ...base(2), loyalty_tier_from: BRONZE, loyalty_tier_to: SILVER }, null, 'ev_up');
const prolonged = projectedEvent('customer.loyalty.tier.prolonged', { ...base(3), loyalty_tier: SILVER }, null, 'ev_prolonged');
const downgraded = projectedEvent('customer.loyalty.tier.downgraded', { ...base(4), loyalty_tier_from: SILVER, loyalty_tier_to: BRONZE }, null, 'ev_down');
const left = projectedEvent('customer.loyalty.tier.left', { ...base(5), loyalty_tier: BRONZE }, null, 'ev_left');
const fold = (events: ReturnType<typeof projectedEvent>[]) =>
  events.reduce<LoyaltyTierState | undefined>((s, e) => evolveLoyaltyTier(s, e), undefined);

describe('evolveLoyaltyTier', () => {
  it('keys a tier by customer and campaign', () => {
    expect(loyaltyTierKeys(joined)).toEqual([tierKey('cust_t', 'camp_l')]);
    expect(loyaltyTierKeys(projectedEvent('customer.loyalty.tier.joined', { loyalty_tier: BRONZE }, null))).toEqual([]);
  });

  it('follows joined → upgraded → prolonged → downgraded, with the history', () => {
    const state = fold([joined, upgraded, prolonged, downgraded]);
    expect(state).toMatchObject({ tierId: 'ltr_bronze', tierName: 'Bronze', since: '2024-05-13T10:04:00.000Z', campaignName: 'Loyalty' });
    expect(state?.history.map((c) => [c.event_type.split('.').pop(), c.from?.id ?? null, c.to?.id ?? null])).toEqual([
      ['joined', null, 'ltr_bronze'],
      ['upgraded', 'ltr_bronze', 'ltr_silver'],
      ['prolonged', null, 'ltr_silver'],
      ['downgraded', 'ltr_silver', 'ltr_bronze'],
    ]);
  });

  it('has no tier after left', () => {
    expect(fold([joined, left])).toMatchObject({ tierId: null, tierName: null, since: '2024-05-13T10:05:00.000Z' });
  });

  it('ends the same whatever the arrival order: a late joined does not undo a later upgrade', () => {
    expect(fold([upgraded, joined])).toEqual(fold([joined, upgraded]));
    expect(fold([upgraded, joined])).toMatchObject({ tierId: 'ltr_silver' });
    expect(fold([left, downgraded, joined, prolonged, upgraded])).toEqual(fold([joined, upgraded, prolonged, downgraded, left]));
  });

  it('treats a repeat as a no-op, and orders a far-future time by the received time, flagged', () => {
    const once = fold([joined]);
    expect(evolveLoyaltyTier(once, joined)).toBe(once);
    const future = projectedEvent('customer.loyalty.tier.joined', { ...base(1), created_at: '9999-12-31T00:00:00Z', loyalty_tier: BRONZE }, null, 'ev_f', '2024-05-13T10:00:30.000Z');
    expect(fold([future, upgraded])).toMatchObject({ tierId: 'ltr_silver', sourceTimeUntrusted: false });
    expect(fold([future])).toMatchObject({ since: '2024-05-13T10:00:30.000Z', sourceTimeUntrusted: true });
  });
});

describe('evolveLoyaltyTier: a history a sender cannot grow without bound', () => {
  it('keeps the newest MAX_TIER_HISTORY changes, the same set in any arrival order', () => {
    const events = Array.from({ length: MAX_TIER_HISTORY + 50 }, (_, i) =>
      projectedEvent(
        'customer.loyalty.tier.prolonged',
        { ...base(0), created_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), loyalty_tier: SILVER },
        null,
        `ev_p${String(i).padStart(4, '0')}`,
      ),
    );
    const inOrder = fold(events)!;
    const reversed = fold([...events].reverse())!;
    expect(inOrder.history).toHaveLength(MAX_TIER_HISTORY);
    expect(reversed).toEqual(inOrder);
    expect(inOrder.history[0].event_id).toBe('ev_p0050');
    // An old change arriving once the history is full changes nothing (no write).
    expect(evolveLoyaltyTier(inOrder, events[0])).toBe(inOrder);
  });
});
