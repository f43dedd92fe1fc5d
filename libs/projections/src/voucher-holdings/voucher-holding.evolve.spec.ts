import { projectedEvent } from '../test-events';
import { evolveVoucherHolding, VoucherHolding, voucherHoldingKeys } from './voucher-holding.evolve';

const voucher = (updatedAt: string, extra: Record<string, any> = {}) => ({
  id: 'v_disc',
  code: 'DISC1',
  type: 'DISCOUNT_VOUCHER',
  holder_id: 'cust_1',
  active: true,
  discount: { type: 'PERCENT', percent_off: 10 },
  created_at: '2024-05-13T10:00:00Z',
  updated_at: updatedAt,
  redemption: { quantity: 1, redeemed_quantity: 0 },
  ...extra,
});
const published = projectedEvent(
  'voucher.published',
  { voucher: voucher('2024-05-13T10:00:00Z'), publication: { id: 'pub_1', customer_id: 'cust_1', created_at: '2024-05-13T10:00:00Z' } },
  '2024-05-13T10:00:00Z',
);
const used = projectedEvent(
  'redemption.succeeded',
  { voucher: voucher('2024-05-13T11:00:00Z', { redemption: { quantity: 1, redeemed_quantity: 1 } }), redemption: { id: 'r_1' } },
  '2024-05-13T11:00:00Z',
);
const deleted = projectedEvent('voucher.deleted', { voucher: { id: 'v_disc' } }, '2024-05-13T12:00:00Z');
const fold = (events: ReturnType<typeof projectedEvent>[]) =>
  events.reduce<VoucherHolding | undefined>((h, e) => evolveVoucherHolding(h, e, 'v_disc'), undefined);

describe('evolveVoucherHolding', () => {
  it('records a publication and a later use', () => {
    expect(fold([published, used])).toMatchObject({
      customerId: 'cust_1',
      acquiredVia: 'publication',
      acquiredAt: '2024-05-13T10:00:00.000Z',
      redeemedQuantity: 1,
      status: 'used_up',
    });
    expect(fold([used, published])).toEqual(fold([published, used]));
  });

  it('keeps a deletion whatever arrives after it', () => {
    expect(fold([deleted, published, used])).toEqual(fold([published, used, deleted]));
    expect(fold([deleted, published])?.status).toBe('deleted');
  });

  it('marks a disabled voucher', () => {
    const disabled = projectedEvent('voucher.disabled', { voucher: voucher('2024-05-13T13:00:00Z') }, '2024-05-13T13:00:00Z');
    expect(fold([published, disabled])?.status).toBe('disabled');
  });

  it('sees the reward voucher inside a completed reward redemption', () => {
    const rewardVoucher = voucher('2024-05-13T12:25:59Z');
    const completed = projectedEvent(
      'customer.reward_redemptions.completed',
      {
        voucher: { id: 'v_card', type: 'LOYALTY_CARD', holder_id: 'cust_1', loyalty_card: {} },
        reward: { voucher: rewardVoucher },
        publication: { customer_id: 'cust_1', created_at: '2024-05-13T12:25:59Z', voucher: rewardVoucher },
      },
      '2024-05-13T12:26:00Z',
    );
    expect(voucherHoldingKeys(completed).sort()).toEqual(['v_card', 'v_disc', 'v_disc']);
    expect(evolveVoucherHolding(undefined, completed, 'v_disc')).toMatchObject({ acquiredVia: 'reward', code: 'DISC1' });
  });

  it('ignores a voucher nobody holds', () => {
    const anonymous = projectedEvent('redemption.succeeded', { voucher: voucher('2024-05-13T11:00:00Z', { holder_id: null }) }, null);
    expect(voucherHoldingKeys(anonymous)).toEqual([]);
  });

  it('takes a year-0 acquisition time as the received time, flagged, and keeps an unreadable quantity as null', () => {
    const hostile = projectedEvent(
      'voucher.published',
      {
        voucher: voucher('9999-12-31T23:59:59Z', { created_at: '0000-01-01T00:00:00Z', redemption: { quantity: 3.7, redeemed_quantity: 0 } }),
        publication: { id: 'pub_h', customer_id: 'cust_1', created_at: '0000-01-01T00:00:00Z' },
      },
      '2024-05-13T09:00:00Z',
      'ev_hostile',
      '2024-05-13T09:30:00.000Z',
    );
    expect(evolveVoucherHolding(undefined, hostile, 'v_disc')).toMatchObject({
      acquiredAt: '2024-05-13T09:30:00.000Z',
      acquiredAtUntrusted: true,
      snapshotAt: '2024-05-13T09:30:00.000Z',
      snapshotAtUntrusted: true,
      quantity: null,
      redeemedQuantity: 0,
      quantityUnreadable: true,
    });
  });
});

describe('evolveVoucherHolding on the official payload shapes', () => {
  const discount = (id: string, code: string, holder: string | null) => ({
    id,
    code,
    type: 'DISCOUNT_VOUCHER',
    holder_id: holder,
    campaign_id: 'camp_d',
    campaign: 'Coupons',
    active: true,
    created_at: '2024-05-13T09:00:00Z',
    updated_at: '2024-05-13T10:00:00Z',
    redemption: { quantity: 1, redeemed_quantity: 0 },
  });
  // publication.succeeded: no data.voucher; data.vouchers[] and data.publication.vouchers_id[].
  const publicationSucceeded = projectedEvent(
    'publication.succeeded',
    {
      customer: { id: 'cust_p', object: 'customer' },
      vouchers: [discount('v_a', 'A1', 'cust_p'), discount('v_b', 'B1', null)],
      publication: { id: 'pub_many', customer_id: 'cust_p', created_at: '2024-05-13T10:00:00Z', vouchers_id: ['v_a', 'v_b', 'v_c'] },
    },
    '2024-05-13T10:00:01Z',
    'ev_pub_many',
  );

  it('makes every voucher of a publication.succeeded a holding of the customer it was published to', () => {
    expect(voucherHoldingKeys(publicationSucceeded).sort()).toEqual(['v_a', 'v_b', 'v_c']);
    for (const [id, code] of [['v_a', 'A1'], ['v_b', 'B1'], ['v_c', null]]) {
      expect(evolveVoucherHolding(undefined, publicationSucceeded, id!)).toMatchObject({
        voucherId: id,
        code,
        customerId: 'cust_p',
        acquiredVia: 'publication',
        acquiredAt: '2024-05-13T10:00:00.000Z',
        status: 'active',
      });
    }
  });

  it('never lets an id alone (vouchers_id[]) blank the fields a sighting of the voucher gave, in either order', () => {
    const later = projectedEvent('voucher.updated', { voucher: { ...discount('v_c', 'C1', 'cust_p'), created_at: '2024-05-13T10:00:00Z', updated_at: '2024-05-13T10:00:00Z' } }, null, 'ev_upd');
    const fold = (events: ReturnType<typeof projectedEvent>[]) =>
      events.reduce<VoucherHolding | undefined>((h, e) => evolveVoucherHolding(h, e, 'v_c'), undefined);
    expect(fold([publicationSucceeded, later])).toEqual(fold([later, publicationSucceeded]));
    expect(fold([publicationSucceeded, later])).toMatchObject({ code: 'C1', acquiredVia: 'publication' });
  });

  it('says holder_assignment only for a holder assignment: a voucher only seen held is acquired via unknown', () => {
    expect(evolveVoucherHolding(undefined, used, 'v_disc')).toMatchObject({ customerId: 'cust_1', acquiredVia: 'unknown' });
    expect(fold([used, published])).toMatchObject({ acquiredVia: 'publication' });
  });
});
