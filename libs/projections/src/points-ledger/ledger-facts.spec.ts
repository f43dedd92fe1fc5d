import { projectedEvent } from '../test-events';
import { ledgerFactsOf } from './ledger-facts';

describe('ledgerFactsOf: what one event tells the ledger', () => {
  it('reads a gift card snapshot as an observation in credits', () => {
    const event = projectedEvent('voucher.updated', { voucher: { id: 'v_gift', type: 'GIFT_VOUCHER', campaign_id: 'camp_g', gift: { amount: 10000, balance: 2500 } } }, '2024-05-13T10:00:00Z');
    expect(ledgerFactsOf(event)).toEqual({
      transactions: [],
      observations: [expect.objectContaining({ voucherId: 'v_gift', campaignId: 'camp_g', unit: 'credits', balance: 2500, delta: undefined, pendingPoints: undefined })],
      deletions: [],
    });
  });

  it("takes a transaction's card and campaign from data.voucher when the transaction does not name them", () => {
    const event = projectedEvent(
      'voucher.loyalty_card.transaction.created',
      {
        voucher: { id: 'v_card', campaign_id: 'camp_l', type: 'LOYALTY_CARD' },
        transaction: { id: 'vtx_1', type: 'POINTS_ACCRUAL', details: { balance: { type: 'loyalty_card', points: 100, balance: 1000 } } },
      },
      '2024-05-13T10:00:00Z',
    );
    expect(ledgerFactsOf(event).transactions).toEqual([
      expect.objectContaining({ transactionId: 'vtx_1', voucherId: 'v_card', campaignId: 'camp_l', unit: 'points', points: 100, balanceAfter: 1000 }),
    ]);
  });

  it('reads a transaction object it cannot use as a report of nothing, not as an observation', () => {
    const event = projectedEvent('voucher.loyalty_card.transaction.created', { voucher: { id: 'v_card', loyalty_card: { balance: 5 } }, transaction: { type: 'X' } }, null);
    expect(ledgerFactsOf(event)).toEqual({ transactions: [], observations: [], deletions: [] });
  });
});
