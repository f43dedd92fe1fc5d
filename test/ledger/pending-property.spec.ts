import fc from 'fast-check';
import { canonicalEventType } from '../../libs/voucherify/src';
import { evolveLedger, CardLedger } from '../../libs/projections/src/points-ledger/ledger.read-model';
import { pendingFactOf } from '../../libs/projections/src/pending-points/pending-facts';
import { PendingLedger, withPendingFact } from '../../libs/projections/src/pending-points/pending-points.read-model';
import { projectedEvent } from '../../libs/projections/src/test-events';
import { Movement, pendingScenario, VOUCHER } from '../support/pending-truth';

/*
 * Pending points against a generated truth (docs/voucherify.md, section 9): a card's pending
 * entries (lopp_) added, updated, then cancelled or activated, each movement reported by its
 * voucher. webhook and sometimes its customer. twin (an activation's twin carries no transaction),
 * delivered in any order, some twice, some dropped. The pending ledger and the points ledger must
 * hold one movement per delivered movement, the truth's pending points after each, and move an
 * activation's points to the card once.
 */

const toEvent = (r: Movement['reports'][number], at: string) => projectedEvent(canonicalEventType(r.type), r.data, at, r.eventId);

function fold(deliveries: { report: Movement['reports'][number]; at: string }[]) {
  let pending: PendingLedger | undefined;
  let ledger: CardLedger | undefined;
  for (const { report, at } of deliveries) {
    const event = toEvent(report, at);
    const fact = pendingFactOf(event);
    if (fact) pending = withPendingFact(pending, fact);
    ledger = evolveLedger(ledger, event, VOUCHER);
  }
  return { pending: pending?.movements ?? [], entries: ledger?.entries ?? [] };
}

describe('the pending ledger against a generated truth (twins, arrival order, drops)', () => {
  it('books each delivered movement once, with the pending points Voucherify states after it, and moves an activation to the card once', () => {
    fc.assert(
      fc.property(pendingScenario, ({ truth, deliveries, complete }) => {
        const { pending, entries } = fold(deliveries);
        const delivered = truth.filter((m) => deliveries.some((d) => d.movement === m));
        // One movement per delivered movement, in the truth's order.
        expect(pending.map((m) => m.movementKey)).toEqual(delivered.map((m) => m.key));
        // Each ends where the truth's did whenever a delivered report stated the card's pending points after it (an
        // activation's transaction report states only the points it moved: after a dropped movement, its twin tells).
        const stated = (m: Movement) => deliveries.some((d) => d.movement === m && 'voucher_pending_points_balance' in d.report.data);
        pending.forEach((p, i) => {
          if (stated(delivered[i])) expect([p.movementKey, p.pendingAfter]).toEqual([delivered[i].key, delivered[i].pendingAfter]);
        });
        // What no movement explains is a gap, never lost: movements and gaps add up to where the chain ends.
        const sum = pending.reduce((total, m) => total + (m.points ?? 0) + m.gapBefore, 0);
        expect(sum).toBe(pending.length ? pending[pending.length - 1].pendingAfter : 0);
        if (complete) {
          expect(pending.map((m) => [m.movement, m.points, m.gapBefore])).toEqual(truth.map((m) => [m.movement, m.change, 0]));
          // As of any movement's time, the pending points then.
          for (const m of truth) expect([m.at, [...pending].reverse().find((p) => p.time.at! <= m.at)?.pendingAfter]).toEqual([m.at, m.pendingAfter]);
        }
        // The points ledger: one pending_activated entry per delivered activation, of the points it moved, whichever twin came.
        const activations = delivered.filter((m) => m.movement === 'activated');
        const booked = entries.filter((e) => e.kind === 'pending_activated');
        expect(booked.map((e) => e.points).sort()).toEqual(activations.map((m) => -m.change).sort());
        if (complete) expect(entries[entries.length - 1]?.balanceAfter ?? 0).toBe(truth[truth.length - 1].balanceAfter);
      }),
      { numRuns: Number(process.env.PENDING_PROPERTY_RUNS ?? 300) },
    );
  });
});
