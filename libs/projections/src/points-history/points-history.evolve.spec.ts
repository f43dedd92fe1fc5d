import { cardVoucher, projectedEvent } from '../test-events';
import { CardHistory, evolvePointsHistory } from './points-history.evolve';

const at = (minute: number) => `2024-05-13T10:${String(minute).padStart(2, '0')}:00Z`;
const snapshot = (minute: number, balance: number, type = 'voucher.loyalty_card.points_added', extra: Record<string, any> = {}) =>
  projectedEvent(type, { voucher: cardVoucher(at(minute), balance, balance), ...extra }, null, `ev_${minute}`);

const fold = (events: ReturnType<typeof snapshot>[]) => events.reduce<CardHistory | undefined>((h, e) => evolvePointsHistory(h, e), undefined);
const summary = (h: CardHistory | undefined) => h?.entries.map((e) => [e.eventId, e.delta, e.balanceAfter]);

describe('evolvePointsHistory', () => {
  it('derives deltas from consecutive snapshots in source-time order', () => {
    expect(summary(fold([snapshot(1, 100), snapshot(2, 150), snapshot(3, 120, 'voucher.loyalty_card.points_expired')]))).toEqual([
      ['ev_1', 100, 100],
      ['ev_2', 50, 150],
      ['ev_3', -30, 120],
    ]);
  });

  it('places a late event where it belongs and fixes its neighbour', () => {
    const late = fold([snapshot(1, 100), snapshot(3, 120), snapshot(2, 150)]);
    expect(summary(late)).toEqual(summary(fold([snapshot(1, 100), snapshot(2, 150), snapshot(3, 120)])));
  });

  it('uses a stated change (balance object) as the delta', () => {
    const event = snapshot(1, 0, 'voucher.loyalty_card.points_added', {
      balance: { type: 'loyalty_card', points: 40, total: 40, balance: 40, related_object: { id: 'v_card' } },
    });
    expect(summary(fold([event]))).toEqual([['ev_1', 40, 40]]);
  });

  it('treats a repeat as a no-op', () => {
    const history = fold([snapshot(1, 100)]);
    expect(evolvePointsHistory(history, snapshot(1, 100))).toBe(history);
  });

  it('names the reason and the related object', () => {
    const event = projectedEvent(
      'customer.reward_redemptions.completed',
      { voucher: cardVoucher(at(5), 100, 50), reward_redemption: { id: 'rewr_1' } },
      null,
    );
    expect(evolvePointsHistory(undefined, event)?.entries[0]).toMatchObject({ reason: 'reward_redemption', relatedId: 'rewr_1' });
    const tx = projectedEvent(
      'voucher.loyalty_card.transaction.created',
      { voucher: cardVoucher(at(6), 100, 50), transaction: { id: 'vtx_1', type: 'POINTS_EXPIRATION' } },
      null,
    );
    expect(evolvePointsHistory(undefined, tx)?.entries[0]).toMatchObject({ reason: 'points_expiration', relatedId: 'vtx_1' });
  });
});
