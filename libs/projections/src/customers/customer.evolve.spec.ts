import { projectedEvent } from '../test-events';
import { CustomerProfile, customerKeys, evolveCustomer } from './customer.evolve';

const profile = (name: string, occurredAt: string, type = 'customer.updated') =>
  projectedEvent(type, { customer: { id: 'cust_1', source_id: 'src-1', name, email: `${name}@example.com`, metadata: { tier: name } } }, occurredAt);
const fold = (events: ReturnType<typeof profile>[]) => events.reduce<CustomerProfile | undefined>((c, e) => evolveCustomer(c, e), undefined);

describe('evolveCustomer', () => {
  it('keeps the latest profile by source time', () => {
    const a = profile('Ann', '2024-01-01T00:00:00Z');
    const b = profile('Bea', '2024-02-01T00:00:00Z');
    expect(fold([b, a])).toEqual(fold([a, b]));
    expect(fold([a, b])).toMatchObject({ name: 'Bea', sourceId: 'src-1', email: 'Bea@example.com', metadata: { tier: 'Bea' } });
  });

  it('keeps a deletion final, whatever arrives after it', () => {
    const deleted = profile('Ann', '2024-03-01T00:00:00Z', 'customer.deleted');
    const update = profile('Bea', '2024-02-01T00:00:00Z');
    expect(fold([deleted, update])).toEqual(fold([update, deleted]));
    expect(fold([deleted, update])?.deleted).toBe(true);
  });

  it('reads the holder when there is no customer object', () => {
    const event = projectedEvent('voucher.loyalty_card.points_added', { holder: { id: 'cust_9', name: 'Holder' } }, null);
    expect(evolveCustomer(undefined, event)).toMatchObject({ id: 'cust_9', name: 'Holder' });
  });

  it('orders a profile dated in the far future by its received time, so a later honest update wins', () => {
    const future = projectedEvent('customer.updated', { customer: { id: 'cust_1', name: 'Eve', updated_at: '9999-12-31T23:59:59Z' } }, null, 'ev_f', '2024-03-01T00:00:00.000Z');
    const honest = projectedEvent('customer.updated', { customer: { id: 'cust_1', name: 'Ann', updated_at: '2024-03-02T00:00:00Z' } }, null, 'ev_h', '2024-03-02T00:00:01.000Z');
    expect(evolveCustomer(undefined, future)).toMatchObject({ name: 'Eve', profileAt: '2024-03-01T00:00:00.000Z', profileAtUntrusted: true });
    expect(fold([future, honest])).toMatchObject({ name: 'Ann', profileAt: '2024-03-02T00:00:00.000Z', profileAtUntrusted: false });
  });
});

describe('evolveCustomer and holder assignments', () => {
  it('never reads a redeemable holder (rh_...) as a customer', () => {
    const event = projectedEvent(
      'customer.holder.assignment.created',
      { holder: { id: 'rh_1', object: 'redeemable_holder', customer_id: 'cust_referee', holder_role: 'REFEREE' } },
      null,
    );
    expect(customerKeys(event)).toEqual([]);
  });
});
