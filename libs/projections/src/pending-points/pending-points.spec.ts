import { evolveLedger } from '../points-ledger/ledger.read-model';
import { cardVoucher, projectedEvent } from '../test-events';
import { pendingFactOf } from './pending-facts';
import { PendingLedger, withPendingFact } from './pending-points.read-model';

/*
 * Pending points in the shapes of Voucherify's examples (docs/voucherify.md, section 9):
 * `pending_points.added|updated|canceled` carry the entry and `voucher_pending_points_balance`;
 * `pending_points.activated` carries the PENDING_POINTS_ACTIVATION transaction, and its customer.
 * twin only `voucher_pending_points_balance`.
 */

const entry = (points: number, id = 'lopp_1') => ({ id, voucher_id: 'v_card', points, activates_at: '2024-06-01T00:00:00.000Z', order_id: 'ord_1' });
const pendingBalance = (points: number, total: number) => ({ type: 'loyalty_card', points, total, object: 'balance', related_object: { id: 'v_card', type: 'voucher' } });
const card = (at: string, balance: number, pending: number) => cardVoucher(at, balance, balance, { loyalty_card: { points: balance, balance, pending_points: pending } });

const added = (at: string, points: number, total: number, id = 'lopp_1', eventId?: string) =>
  projectedEvent('voucher.loyalty_card.pending_points.added', { voucher: card(at, 0, total), pending_points: entry(points, id), voucher_pending_points_balance: pendingBalance(points, total) }, at, eventId);
const updated = (at: string, points: number, change: number, total: number, eventId?: string) =>
  projectedEvent('voucher.loyalty_card.pending_points.updated', { voucher: card(at, 0, total), pending_points: entry(points), voucher_pending_points_balance: pendingBalance(change, total) }, at, eventId);
const cancelled = (at: string, points: number, total: number) =>
  projectedEvent('voucher.loyalty_card.pending_points.canceled', { voucher: card(at, 0, total), pending_points: entry(points), voucher_pending_points_balance: pendingBalance(-points, total) }, at);
/** The voucher. report: the transaction, the card's balance after it. */
const activatedWithTransaction = (at: string, points: number, balanceAfter: number, eventId?: string) =>
  projectedEvent(
    'voucher.loyalty_card.pending_points.activated',
    {
      voucher: card(at, balanceAfter, 0),
      pending_points: entry(points),
      balance: { type: 'loyalty_card', points, total: balanceAfter, balance: balanceAfter, related_object: { id: 'v_card', type: 'voucher' } },
      transaction: {
        id: 'vtx_act',
        voucher_id: 'v_card',
        campaign_id: 'camp_1',
        type: 'PENDING_POINTS_ACTIVATION',
        created_at: at,
        details: { balance: { type: 'loyalty_card', points, total: balanceAfter, balance: balanceAfter, related_object: { id: 'v_card', type: 'voucher' } } },
      },
    },
    at,
    eventId,
  );
/** The customer. twin: no transaction, no balance; only the pending balance (and the card as it stands). */
const activatedTwin = (at: string, points: number, balanceAfter: number | null, eventId?: string) =>
  projectedEvent(
    'voucher.loyalty_card.pending_points.activated',
    {
      voucher: balanceAfter === null ? { id: 'v_card', campaign_id: 'camp_1', type: 'LOYALTY_CARD' } : card(at, balanceAfter, 0),
      pending_points: entry(points),
      voucher_pending_points_balance: pendingBalance(-points, 0),
    },
    at,
    eventId,
  );

function fold(events: ReturnType<typeof projectedEvent>[]): PendingLedger | undefined {
  let ledger: PendingLedger | undefined;
  for (const e of events) {
    const fact = pendingFactOf(e);
    if (fact) ledger = withPendingFact(ledger, fact);
  }
  return ledger;
}

const summary = (ledger: PendingLedger | undefined) => (ledger?.movements ?? []).map((m) => [m.movement, m.points, m.pendingAfter, m.gapBefore]);

describe('the pending ledger', () => {
  const life = () => [
    added('2024-05-01T10:00:00.000Z', 100, 100, 'lopp_1', 'ev_a1'),
    updated('2024-05-02T10:00:00.000Z', 120, 20, 120, 'ev_u1'),
    activatedWithTransaction('2024-05-03T10:00:00.000Z', 120, 120, 'ev_t1'),
  ];

  it('books an entry added, updated and activated as three movements ending at no pending points', () => {
    expect(summary(fold(life()))).toEqual([
      ['added', 100, 100, 0],
      ['updated', 20, 120, 0],
      ['activated', -120, 0, 0],
    ]);
  });

  it('keeps one movement per report twin, whichever arrives first, and the same whatever the order', () => {
    const twins = [...life(), added('2024-05-01T10:00:00.000Z', 100, 100, 'lopp_1', 'ev_a2'), activatedTwin('2024-05-03T10:00:00.000Z', 120, 120, 'ev_t2')];
    const forward = fold(twins);
    expect(summary(forward)).toEqual(summary(fold(life())));
    expect(summary(fold([...twins].reverse()))).toEqual(summary(forward));
    expect(forward!.movements.find((m) => m.movement === 'activated')!.eventIds).toEqual(['ev_t1', 'ev_t2']);
    expect(forward!.movements.find((m) => m.movement === 'activated')!.transactionId).toBe('vtx_act');
  });

  it("works an update's change out from the entry when the report does not state it", () => {
    const unstated = projectedEvent('voucher.loyalty_card.pending_points.updated', { voucher: card('2024-05-02T10:00:00.000Z', 0, 70), pending_points: entry(70) }, '2024-05-02T10:00:00.000Z');
    expect(summary(fold([added('2024-05-01T10:00:00.000Z', 100, 100), unstated]))).toEqual([
      ['added', 100, 100, 0],
      ['updated', -30, 70, 0],
    ]);
  });

  it('believes the stated pending points after a movement, and shows what no movement explains as a gap', () => {
    // The added report of lopp_1 went missing: lopp_2 starts from 100 pending.
    expect(summary(fold([added('2024-05-01T10:00:00.000Z', 50, 150, 'lopp_2')]))).toEqual([['added', 50, 150, 100]]);
  });

  it('cancels what the entry held', () => {
    expect(summary(fold([added('2024-05-01T10:00:00.000Z', 100, 100), cancelled('2024-05-04T10:00:00.000Z', 100, 0)]))).toEqual([
      ['added', 100, 100, 0],
      ['cancelled', -100, 0, 0],
    ]);
  });
});

describe("the points ledger's activation", () => {
  const ledgerOf = (events: ReturnType<typeof projectedEvent>[]) => events.reduce((state, e) => evolveLedger(state, e, 'v_card'), undefined as ReturnType<typeof evolveLedger> | undefined);
  const kinds = (events: ReturnType<typeof projectedEvent>[]) => ledgerOf(events)!.entries.map((e) => [e.kind, e.points, e.balanceAfter]);

  it('books the customer twin alone (no transaction, no balance) as pending_activated, not other', () => {
    expect(kinds([activatedTwin('2024-05-03T10:00:00.000Z', 120, 120)])).toEqual([['pending_activated', 120, 120]]);
  });

  it('books the twin without a snapshot of the card from its pending change', () => {
    expect(kinds([activatedTwin('2024-05-03T10:00:00.000Z', 120, null)])).toEqual([['pending_activated', 120, 120]]);
  });

  it('moves the points once when both twins arrive, in either order', () => {
    const both = [activatedWithTransaction('2024-05-03T10:00:00.000Z', 120, 120, 'ev_t1'), activatedTwin('2024-05-03T10:00:00.000Z', 120, null, 'ev_t2')];
    expect(kinds(both)).toEqual([['pending_activated', 120, 120]]);
    expect(kinds([...both].reverse())).toEqual([['pending_activated', 120, 120]]);
    expect(ledgerOf(both)!.entries[0].entryKey).toBe('vtx_act');
  });
});
