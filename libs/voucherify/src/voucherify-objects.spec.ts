import { parseBalance } from './balance';
import { isLoyaltyCard, parseVoucher } from './loyalty-card';
import { parseTransaction } from './transaction';

describe("Voucherify's objects, read once in libs/voucherify", () => {
  it('reads a loyalty card: zero fields left out are absent, unreadable amounts null', () => {
    const card = parseVoucher({
      id: 'v_1',
      code: 'LC-1',
      type: 'LOYALTY_CARD',
      campaign_id: 'camp_1',
      campaign: 'Loyalty',
      holder_id: 'cust_1',
      active: true,
      loyalty_card: { points: 900, balance: 850, pending_points: 1.5 },
      redemption: { redeemed_points: 50 },
    })!;
    expect(card).toMatchObject({ id: 'v_1', code: 'LC-1', campaignId: 'camp_1', campaignName: 'Loyalty', holderId: 'cust_1', active: true });
    expect(card.loyaltyCard).toEqual({
      points: 900,
      balance: 850,
      expiredPoints: undefined,
      subtractedPoints: undefined,
      pendingPoints: null,
      nextExpirationDate: undefined,
      nextExpirationPoints: undefined,
    });
    expect(card.redeemedPoints).toBe(50);
    expect(card.gift).toBeUndefined();
    expect(isLoyaltyCard(card)).toBe(true);
  });

  it("reads a card's next expiry as a day, and nothing from what is not one", () => {
    const next = (date: unknown, points: unknown = 40) => parseVoucher({ id: 'v_1', loyalty_card: { next_expiration_date: date, next_expiration_points: points } })!.loyaltyCard;
    expect(next('2027-01-31')).toMatchObject({ nextExpirationDate: '2027-01-31', nextExpirationPoints: 40 });
    expect(next('2027-01-31T00:00:00.000Z')).toMatchObject({ nextExpirationDate: '2027-01-31' });
    for (const bad of ['2027-02-30', '31/01/2027', '2027-1-31', 20270131, null, '2027-01-31 and more']) expect(next(bad)?.nextExpirationDate).toBeUndefined();
    expect(next('2027-01-31', 'forty')?.nextExpirationPoints).toBeNull();
  });

  it('reads a gift card as one, and no voucher from what has no id', () => {
    const gift = parseVoucher({ id: 'v_g', type: 'GIFT_VOUCHER', gift: { amount: 10000, balance: 2500 } })!;
    expect(gift.gift).toEqual({ balance: 2500 });
    expect(gift.loyaltyCard).toBeUndefined();
    expect(isLoyaltyCard(gift)).toBe(false);
    for (const garbage of [undefined, null, 'v_1', [], { code: 'no id' }, { id: 7 }]) expect(parseVoucher(garbage)).toBeUndefined();
  });

  it('reads a balance, keeping a type given as something else than text apart from one not given', () => {
    expect(parseBalance({ type: 'loyalty_card', points: -50, balance: 850, total: 900, related_object: { id: 'v_1' } })).toEqual({
      type: 'loyalty_card',
      points: -50,
      amount: undefined,
      balance: 850,
      total: 900,
      relatedObjectId: 'v_1',
    });
    expect(parseBalance({ points: 1 })!.type).toBeUndefined();
    expect(parseBalance({ type: 5, points: 1 })!.type).toBeNull();
    expect(parseBalance('nope')).toBeUndefined();
  });

  it('reads a transaction with its details and the balance in them', () => {
    const tx = parseTransaction({
      id: 'vtx_1',
      voucher_id: 'v_1',
      campaign_id: 'camp_1',
      type: 'POINTS_ACCRUAL',
      source_id: 'src',
      related_transaction_id: 'vtx_0',
      created_at: '2024-05-13T10:00:00Z',
      details: { order: { id: 'ord_1' }, balance: { type: 'loyalty_card', points: 100, balance: 1000 } },
    })!;
    expect(tx).toMatchObject({ id: 'vtx_1', voucherId: 'v_1', campaignId: 'camp_1', type: 'POINTS_ACCRUAL', sourceId: 'src', relatedTransactionId: 'vtx_0' });
    expect(tx.details.order).toEqual({ id: 'ord_1' });
    expect(tx.balance).toMatchObject({ points: 100, balance: 1000 });
    expect(parseTransaction({ voucher_id: 'v_1' })).toBeUndefined();
  });
});
