import fc from 'fast-check';

/*
 * A generated truth of one card's pending points (docs/voucherify.md, section 9): its pending
 * entries (lopp_) added, updated, then cancelled or activated, each movement reported by its
 * voucher. webhook and sometimes its customer. twin (an activation's twin carries no transaction),
 * and deliveries of it in any order, some twice, some dropped. For the pure property
 * (test/ledger/pending-property.spec.ts) and the service's (pending-report-property.e2e-spec.ts).
 */

export const VOUCHER = 'v_pend';
const HOUR = 3_600_000;
const START = Date.parse('2024-03-01T00:00:00.000Z');

export type Life = { points: number; updates: number[]; end: 'open' | 'cancelled' | 'activated' };
export interface Movement {
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

export const lifeArbitrary: fc.Arbitrary<Life> = fc.record({
  points: fc.integer({ min: 1, max: 500 }),
  updates: fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 2 }),
  end: fc.constantFrom('open' as const, 'cancelled' as const, 'activated' as const),
});

/** The truth: each entry's movements, interleaved in time (one an hour), with the card's pending points and balance after each. */
export function truthOf(lives: Life[], twins: boolean[]): Movement[] {
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

/** A truth, and deliveries of its reports: all of them (`complete`) or at least half, some twice, shuffled. */
export const pendingScenario = fc
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

