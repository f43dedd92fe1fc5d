import { cardVoucher, projectedEvent } from '../test-events';
import { evolveLoyaltyCard, LoyaltyCard, loyaltyCardKeys, pointsUnreadable } from './loyalty-card.evolve';

describe('evolveLoyaltyCard', () => {
  const older = projectedEvent('voucher.loyalty_card.points_added', { voucher: cardVoucher('2024-05-13T10:00:00Z', 100, 100) }, null);
  const newer = projectedEvent('voucher.loyalty_card.points_added', { voucher: cardVoucher('2024-05-13T11:00:00Z', 300, 250) }, null);

  it('keeps the newest snapshot by source time whatever the arrival order', () => {
    const inOrder = evolveLoyaltyCard(evolveLoyaltyCard(undefined, older), newer);
    const reversed = evolveLoyaltyCard(evolveLoyaltyCard(undefined, newer), older);
    expect(inOrder).toEqual(reversed);
    expect(inOrder).toMatchObject({ points: 300, balance: 250, redeemedPoints: 50, updatedAt: '2024-05-13T11:00:00.000Z', lastEventId: newer.eventId });
  });

  describe('a snapshot that tells no counters (a reconciliation backfill: the card by its stable fields, the change in the transaction)', () => {
    const full = projectedEvent('voucher.loyalty_card.points_added', { voucher: cardVoucher('2024-05-13T10:00:00Z', 500, 320, { loyalty_card: { points: 500, balance: 320, expired_points: 30, subtracted_points: 10, pending_points: 5 } }) }, null);
    const backfill = projectedEvent(
      'voucher.loyalty_card.transaction.created',
      {
        voucher: { id: 'v_card', code: 'CARD1', type: 'LOYALTY_CARD', campaign_id: 'camp_1', holder_id: 'cust_1', updated_at: '2024-05-14T10:00:00Z' },
        transaction: { id: 'vtx_late', voucher_id: 'v_card', details: { balance: { type: 'loyalty_card', points: 40, total: 540, balance: 360, related_object: { id: 'v_card', type: 'voucher' } } } },
      },
      null,
    );

    it("moves the balance and keeps the counters and the campaign's name of the last full snapshot, whatever the arrival order", () => {
      const inOrder = evolveLoyaltyCard(evolveLoyaltyCard(undefined, full), backfill);
      const reversed = evolveLoyaltyCard(evolveLoyaltyCard(undefined, backfill), full);
      // Lifetime points come from loyalty_card.points only: the transaction's details.balance.total is not that figure.
      expect(inOrder).toMatchObject({
        points: 500,
        balance: 360,
        redeemedPoints: 180,
        expiredPoints: 30,
        subtractedPoints: 10,
        pendingPoints: 5,
        campaignName: 'Loyalty',
        lastEventId: backfill.eventId,
        countersEventId: full.eventId,
      });
      expect(reversed).toEqual(inOrder);
    });
  });

  it('returns the same object for an older snapshot or a repeat (no write)', () => {
    const card = evolveLoyaltyCard(undefined, newer);
    expect(evolveLoyaltyCard(card, older)).toBe(card);
    expect(evolveLoyaltyCard(card, newer)).toBe(card);
  });

  it('takes the top-level balance object as the authority for the change, never its total as the lifetime points', () => {
    const stale = projectedEvent(
      'voucher.loyalty_card.points_added',
      {
        voucher: cardVoucher('2024-05-13T12:00:00Z', 0, 0),
        balance: { type: 'loyalty_card', points: 900, total: 900, balance: 900, related_object: { id: 'v_card', type: 'voucher' } },
      },
      null,
    );
    // The balance is the change's; lifetime points are the snapshot's loyalty_card.points only (docs/voucherify.md, section 9).
    expect(evolveLoyaltyCard(undefined, stale)).toMatchObject({ points: 0, balance: 900 });
  });

  it('orders a snapshot and a stated change of the same source time by the balance chain, never by event id', () => {
    // The example of docs/voucherify.md: voucher.published (0/0) and customer.rewarded.loyalty_points (+900)
    // with the same voucher.updated_at to the microsecond. The event ids sort the wrong way round.
    const at = '2024-05-13T12:00:00.123Z';
    const published = projectedEvent('voucher.published', { voucher: cardVoucher(at, 0, 0) }, at, 'evvou_zzz');
    const rewarded = projectedEvent(
      'customer.rewarded.loyalty_points',
      { voucher: cardVoucher(at, 900, 900), balance: { type: 'loyalty_card', points: 900, total: 900, balance: 900, related_object: { id: 'v_card' } } },
      at,
      'evcus_aaa',
    );
    for (const [first, second] of [[published, rewarded], [rewarded, published]]) {
      expect(evolveLoyaltyCard(evolveLoyaltyCard(undefined, first), second)).toMatchObject({ balance: 900, lastEventId: 'evcus_aaa' });
    }
  });

  it('ignores a balance object about another voucher, and gift-card balances', () => {
    const other = projectedEvent(
      'voucher.loyalty_card.points_added',
      {
        voucher: cardVoucher('2024-05-13T12:00:00Z', 10, 10),
        balance: { type: 'loyalty_card', points: 5, total: 99, balance: 99, related_object: { id: 'v_other' } },
      },
      null,
    );
    const gift = projectedEvent('voucher.gift.balance_added', { voucher: cardVoucher('2024-05-13T12:00:00Z', 10, 10), balance: { type: 'gift_voucher', amount: 5, balance: 99 } }, null);
    expect(evolveLoyaltyCard(undefined, other)).toMatchObject({ points: 10, balance: 10 });
    expect(evolveLoyaltyCard(undefined, gift)).toMatchObject({ points: 10, balance: 10 });
  });

  it('falls back to the event time when the voucher has no updated_at, and reads lenient timestamps', () => {
    const event = projectedEvent('voucher.updated', { voucher: cardVoucher('2024-05-13T10: 24: 01.084Z', 1, 1) }, '2024-01-01T00:00:00.000Z');
    expect(evolveLoyaltyCard(undefined, event)?.updatedAt).toBe('2024-05-13T10:24:01.084Z');
    const noTime = projectedEvent('voucher.updated', { voucher: { ...cardVoucher('', 1, 1), updated_at: undefined } }, '2024-01-01T00:00:00.000Z');
    expect(evolveLoyaltyCard(undefined, noTime)?.updatedAt).toBe('2024-01-01T00:00:00.000Z');
  });

  it('ignores events without a loyalty card, and unknown types', () => {
    expect(loyaltyCardKeys(projectedEvent('customer.created', { customer: { id: 'c' } }, null))).toEqual([]);
    expect(loyaltyCardKeys(projectedEvent('voucher.published', { voucher: { id: 'v_d', type: 'DISCOUNT_VOUCHER' } }, null))).toEqual([]);
    expect(loyaltyCardKeys(projectedEvent('some.future.type', { voucher: 'garbage' }, null))).toEqual([]);
  });

  describe('hostile values', () => {
    const received = (hour: number) => `2024-05-13T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const snapshotAt = (updatedAt: unknown, receivedHour: number, points: unknown = 100, id = `ev_h${receivedHour}`) =>
      projectedEvent(
        'voucher.loyalty_card.points_added',
        { voucher: { ...cardVoucher('', 0, 0), updated_at: updatedAt, loyalty_card: { points, balance: points } } },
        received(receivedHour),
        id,
        received(receivedHour),
      );

    it('does not let a snapshot dated 9999-12-31 freeze the card: a later honest snapshot wins', () => {
      const frozen = evolveLoyaltyCard(undefined, snapshotAt('9999-12-31T23:59:59Z', 10, 999));
      expect(frozen).toMatchObject({ points: 999, updatedAt: received(10), sourceTimeUntrusted: true });
      const honest = evolveLoyaltyCard(frozen, snapshotAt('2024-05-13T11:30:00Z', 12, 120));
      expect(honest).toMatchObject({ points: 120, updatedAt: '2024-05-13T11:30:00.000Z', sourceTimeUntrusted: false });
    });

    it.each(['0000-01-01T00:00:00Z', '9999-12-31T24:00:00Z', 'not a time', 42])('orders a snapshot dated %j by its received time, flagged', (updatedAt) => {
      expect(evolveLoyaltyCard(undefined, snapshotAt(updatedAt, 10))).toMatchObject({ updatedAt: received(10), sourceTimeUntrusted: true });
    });

    it.each([
      ['2^64 + 1', JSON.parse('18446744073709551617')],
      ['1e400', JSON.parse('1e400')],
      ['"12abc"', '12abc'],
      ['2^53 + 1', JSON.parse('9007199254740993')],
      ['3.7', 3.7],
    ])('keeps points of %s as unreadable (null), never 0 or rounded', (_name, points) => {
      const card = evolveLoyaltyCard(undefined, snapshotAt('2024-05-13T09:00:00Z', 10, points))!;
      expect(card).toMatchObject({ points: null, balance: null, redeemedPoints: 0 });
      expect(pointsUnreadable(card)).toBe(true);
    });

    it('keeps an unreadable amount of the balance object as null too', () => {
      const event = projectedEvent(
        'voucher.loyalty_card.points_added',
        { voucher: cardVoucher('2024-05-13T12:00:00Z', 10, 10), balance: { type: 'loyalty_card', points: 5, total: 15, balance: '1e3' } },
        null,
      );
      // (The balance object's total is not read: lifetime points come from loyalty_card.points.)
      expect(evolveLoyaltyCard(undefined, event)).toMatchObject({ points: 10, balance: null });
    });
  });
});

describe('evolveLoyaltyCard: a card disabled or deleted', () => {
  const at = (hour: number) => `2024-05-13T${String(hour).padStart(2, '0')}:00:00Z`;
  const event = (type: string, hour: number, extra: Record<string, any> = {}) =>
    projectedEvent(type, { voucher: cardVoucher(at(hour), 100, 80, extra), campaign: { id: 'camp_1', name: 'Loyalty' } }, null, `ev_${type}_${hour}`);
  const fold = (events: ReturnType<typeof event>[]) => events.reduce<LoyaltyCard | undefined>((c, e) => evolveLoyaltyCard(c, e), undefined);

  it('shows a card disabled by voucher.disabled, and active again after a newer voucher.enabled, whatever the order', () => {
    const disabled = event('voucher.disabled', 11, { active: false });
    const enabled = event('voucher.enabled', 12, { active: true });
    expect(fold([event('voucher.loyalty_card.points_added', 10), disabled])).toMatchObject({ status: 'disabled', active: false });
    expect(fold([enabled, disabled])).toEqual(fold([disabled, enabled]));
    expect(fold([enabled, disabled])).toMatchObject({ status: 'active' });
  });

  it('keeps a voucher.deleted final, even against a snapshot with a newer time', () => {
    const removed = event('voucher.deleted', 11);
    const newer = event('voucher.loyalty_card.points_added', 12);
    expect(fold([removed, newer])).toEqual(fold([newer, removed]));
    expect(fold([newer, removed])).toMatchObject({ status: 'deleted', deleted: true, lastEventId: newer.eventId });
  });

  it('dates a deletion by the earliest voucher.deleted, whatever the arrival order', () => {
    const first = event('voucher.deleted', 11);
    const repeat = event('voucher.deleted', 13);
    const later = event('voucher.loyalty_card.points_added', 12);
    for (const order of [[first, repeat, later], [repeat, later, first], [later, repeat, first], [repeat, first]]) {
      expect(fold(order)).toMatchObject({ deleted: true, deletedAt: '2024-05-13T11:00:00.000Z' });
    }
    expect(fold([later])).toMatchObject({ deleted: false, deletedAt: null });
  });
});
