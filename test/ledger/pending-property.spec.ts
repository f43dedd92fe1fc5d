import fc from 'fast-check';
import { canonicalEventType } from '../../libs/voucherify/src';
import { evolveLedger, CardLedger } from '../../libs/projections/src/points-ledger/ledger.read-model';
import { pendingFactOf } from '../../libs/projections/src/pending-points/pending-facts';
import { PendingLedger, withPendingFact } from '../../libs/projections/src/pending-points/pending-points.read-model';
import { projectedEvent } from '../../libs/projections/src/test-events';

/*
 * Pending points against a generated truth (docs/voucherify.md, section 9): a card's pending
 * entries (lopp_) added, updated, then cancelled or activated, each movement reported by its
 * voucher. webhook and sometimes its customer. twin (an activation's twin carries no transaction),
 * delivered in any order, some twice, some dropped. The pending ledger and the points ledger must
 * hold one movement per delivered movement, the truth's pending points after each, and move an
 * activation's points to the card once.
 */

const VOUCHER = 'v_pend';
const HOUR = 3_600_000;
const START = Date.parse('2024-03-01T00:00:00.000Z');

type Life = { points: number; updates: number[]; end: 'open' | 'cancelled' | 'activated' };
interface Movement {
  key: string;
  movement: 'added' | 'updated' | 'cancelled' | 'activated';
  entry: string;
  change: number;
  entryPoints: number;
  at: string;
  /** The card's pending points after it (the truth). */
  pendingAfter: number;
  /** The card's balance after it: only activations move it. */
  balanceAfter: number;
  reports: { eventId: string; type: string; data: Record<string, unknown> }[];
}

const lifeArbitrary: fc.Arbitrary<Life> = fc.record({
  points: fc.integer({ min: 1, max: 500 }),
  updates: fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 2 }),
  end: fc.constantFrom('open' as const, 'cancelled' as const, 'activated' as const),
});

/** The truth: each entry's movements, interleaved in time (one an hour), with the card's pending points and balance after each. */
function truthOf(lives: Life[], twins: boolean[]): Movement[] {
  const steps: { entry: number; kind: Movement['movement']; points: number }[] = [];
  lives.forEach((life, entry) => {
    steps.push({ entry, kind: 'added', points: life.points });
    for (const p of life.updates) steps.push({ entry, kind: 'updated', points: p });
    if (life.end !== 'open') steps.push({ entry, kind: life.end, points: 0 });
  });
  // Interleave entries, keeping each entry's own order: round robin over the entries' steps.
  const queues = lives.map((_, entry) => steps.filter((s) => s.entry === entry));
  const ordered: typeof steps = [];
  while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) ordered.push(q.shift()!);

  const held = new Map<number, number>();
  let pending = 0;
  let balance = 0;
  // An update is told apart by the entry's points and the card's pending points after it (the
  // ledger's documented limit): the truth never repeats such a pair, so a generated update that
  // would (one to the figure it already has, say) does not happen.
  const seen = new Set<string>();
  const happening = ordered.filter((step) => {
    const before = held.get(step.entry) ?? 0;
    const after = step.kind === 'added' || step.kind === 'updated' ? step.points : 0;
    if (step.kind === 'updated') {
      const key = `${step.entry}:${after}:${pending - before + after}`;
      if (after === before || seen.has(key)) return false;
      seen.add(key);
    }
    held.set(step.entry, after);
    pending += after - before;
    return true;
  });
  held.clear();
  pending = 0;
  return happening.map((step, i) => {
    const entry = `lopp_${step.entry}`;
    const before = held.get(step.entry) ?? 0;
    const after = step.kind === 'added' || step.kind === 'updated' ? step.points : 0;
    const change = after - before;
    held.set(step.entry, after);
    pending += change;
    if (step.kind === 'activated') balance += before;
    const at = new Date(START + i * HOUR).toISOString();
    const voucher = { id: VOUCHER, campaign_id: 'camp_pend', type: 'LOYALTY_CARD', updated_at: at, loyalty_card: { points: balance, balance, pending_points: pending } };
    const pendingPoints = { id: entry, voucher_id: VOUCHER, points: step.kind === 'updated' || step.kind === 'added' ? after : before, activates_at: '2024-06-01T00:00:00.000Z' };
    const pendingBalance = { type: 'loyalty_card', points: change, total: pending, related_object: { id: VOUCHER, type: 'voucher' } };
    const type = `voucher.loyalty_card.pending_points.${step.kind === 'cancelled' ? 'canceled' : step.kind}`;
    const reports: Movement['reports'] = [];
    if (step.kind === 'activated') {
      const details = { balance: { type: 'loyalty_card', points: before, total: balance, balance, related_object: { id: VOUCHER, type: 'voucher' } } };
      const transaction = { id: `vtx_act_${step.entry}`, type: 'PENDING_POINTS_ACTIVATION', voucher_id: VOUCHER, campaign_id: 'camp_pend', created_at: at, details };
      reports.push({ eventId: `ev_${i}_v`, type, data: { voucher, pending_points: pendingPoints, balance: details.balance, transaction } });
      // The customer. twin: no transaction, no balance.
      if (twins[i % twins.length]) reports.push({ eventId: `ev_${i}_c`, type: `customer.${type}`, data: { voucher, pending_points: pendingPoints, voucher_pending_points_balance: pendingBalance } });
    } else {
      const data = { voucher, pending_points: pendingPoints, voucher_pending_points_balance: pendingBalance };
      reports.push({ eventId: `ev_${i}_v`, type, data });
      if (twins[i % twins.length]) reports.push({ eventId: `ev_${i}_c`, type: `customer.${type}`, data });
    }
    const key = step.kind === 'updated' ? `${entry}:updated:${after}:${pending}` : `${entry}:${step.kind}`;
    return { key, movement: step.kind, entry, change, entryPoints: pendingPoints.points, at, pendingAfter: pending, balanceAfter: balance, reports };
  });
}

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

const scenario = fc
  .record({
    lives: fc.array(lifeArbitrary, { minLength: 1, maxLength: 4 }),
    twins: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  })
  .chain(({ lives, twins }) => {
    const truth = truthOf(lives, twins);
    const reports = truth.flatMap((m) => m.reports.map((report) => ({ report, at: m.at, movement: m })));
    return fc
      .record({
        kept: fc.shuffledSubarray(reports, { minLength: Math.ceil(reports.length / 2), maxLength: reports.length }),
        repeats: fc.array(fc.nat(), { maxLength: 6 }),
        all: fc.boolean(),
        order: fc.array(fc.nat(), { minLength: reports.length * 2, maxLength: reports.length * 2 }),
      })
      .map(({ kept, repeats, all, order }) => {
        const chosen = all ? [...reports] : kept;
        const deliveries = [...chosen, ...repeats.map((r) => chosen[r % chosen.length])];
        // A shuffle of its own (fast-check's shuffledSubarray keeps nothing of the arrival order we want to vary).
        const shuffled = deliveries.map((d, i) => ({ d, k: order[i % order.length] })).sort((a, b) => a.k - b.k).map((x) => x.d);
        return { truth, deliveries: shuffled, complete: all };
      });
  });

describe('the pending ledger against a generated truth (twins, arrival order, drops)', () => {
  it('books each delivered movement once, with the pending points Voucherify states after it, and moves an activation to the card once', () => {
    fc.assert(
      fc.property(scenario, ({ truth, deliveries, complete }) => {
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
