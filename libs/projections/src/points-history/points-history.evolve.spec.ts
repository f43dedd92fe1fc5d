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

  describe('hostile values', () => {
    it('keeps an unreadable balance as null, and the deltas it makes unknowable as null, never 0', () => {
      const unreadable = projectedEvent('voucher.loyalty_card.points_added', { voucher: cardVoucher(at(2), 0, 0, { loyalty_card: { points: '12abc', balance: 1e400 } }) }, null, 'ev_2');
      expect(summary(fold([snapshot(1, 100), unreadable, snapshot(3, 120)]))).toEqual([
        ['ev_1', 100, 100],
        ['ev_2', null, null],
        ['ev_3', null, 120],
      ]);
    });

    it('keeps a stated change even after an unreadable balance, and an unreadable stated change as null', () => {
      const stated = (minute: number, points: unknown) =>
        snapshot(minute, 0, 'voucher.loyalty_card.points_added', { balance: { type: 'loyalty_card', points, total: 1, balance: 1, related_object: { id: 'v_card' } } });
      const unreadable = projectedEvent('voucher.loyalty_card.points_added', { voucher: cardVoucher(at(1), 0, 0, { loyalty_card: { balance: 3.7 } }) }, null, 'ev_1');
      expect(summary(fold([unreadable, stated(2, 40), stated(3, JSON.parse('18446744073709551617'))]))).toEqual([
        ['ev_1', null, null],
        ['ev_2', 40, 1],
        ['ev_3', null, 1],
      ]);
    });

    it('gives no delta that would not be exact', () => {
      const low = projectedEvent('voucher.loyalty_card.points_added', { voucher: cardVoucher(at(1), 0, -Number.MAX_SAFE_INTEGER) }, null, 'ev_1');
      const high = projectedEvent('voucher.loyalty_card.points_added', { voucher: cardVoucher(at(2), 0, Number.MAX_SAFE_INTEGER) }, null, 'ev_2');
      expect(summary(fold([low, high]))?.[1]).toEqual(['ev_2', null, Number.MAX_SAFE_INTEGER]);
    });

    it('orders an entry dated in the far future by its received time, flagged', () => {
      const future = projectedEvent('voucher.loyalty_card.points_added', { voucher: cardVoucher('9999-12-31T00:00:00Z', 50, 50) }, null, 'ev_f', '2024-05-13T10:02:30.000Z');
      const entries = fold([snapshot(1, 100), future, snapshot(3, 120)])!.entries;
      expect(entries.map((e) => [e.eventId, e.occurredAt, e.sourceTimeUntrusted, e.delta])).toEqual([
        ['ev_1', '2024-05-13T10:01:00.000Z', false, 100],
        ['ev_f', '2024-05-13T10:02:30.000Z', true, -50],
        ['ev_3', '2024-05-13T10:03:00.000Z', false, 70],
      ]);
    });
  });
});
