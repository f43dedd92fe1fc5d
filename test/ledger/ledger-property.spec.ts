import fc from 'fast-check';
import { canonicalEventType } from '../../libs/voucherify/src';
import { evolveLedger, CardLedger } from '../../libs/projections/src/points-ledger/ledger.read-model';
import { projectedEvent } from '../../libs/projections/src/test-events';
import { expectedLedger, ledgerTruthArbitrary, momentIsAmbiguous, trueBalanceAt, Webhook } from '../support/ledger-truth';

const toEvent = (w: Webhook) => projectedEvent(canonicalEventType(w.type), w.data, w.createdAt, w.eventId);

/** Folds deliveries card by card, as the projection does (one document per card). */
function fold(deliveries: Webhook[], voucherIds: string[]): Map<string, CardLedger> {
  const ledgers = new Map<string, CardLedger>();
  for (const w of deliveries) {
    const event = toEvent(w);
    for (const voucherId of voucherIds) {
      const next = evolveLedger(ledgers.get(voucherId), event, voucherId);
      if (next.transactions.length + next.observations.length > 0) ledgers.set(voucherId, next);
    }
  }
  return ledgers;
}

const summary = (ledger: CardLedger | undefined) =>
  (ledger?.entries ?? []).map((e) => ({
    key: e.derived ? `derived@${e.occurredAt}` : e.entryKey,
    points: e.points,
    balanceAfter: e.balanceAfter,
    unexplainedBefore: e.gapBefore,
  }));

/** Delivered: shuffled, some webhooks twice, some dropped. */
const deliveryArbitrary = (webhooks: Webhook[]) =>
  fc.tuple(
    fc.shuffledSubarray(webhooks, { minLength: Math.ceil(webhooks.length / 2), maxLength: webhooks.length }),
    fc.array(fc.nat(), { maxLength: 10 }),
    fc.nat(),
  ).map(([kept, repeats, seed]) => {
    const deliveries = [...kept, ...repeats.filter(() => kept.length > 0).map((r) => kept[r % kept.length])];
    // A deterministic shuffle of the deliveries (duplicates land anywhere).
    let s = seed + 1;
    for (let i = deliveries.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    return { deliveries, delivered: new Set(kept.map((w) => w.eventId)) };
  });

describe('the ledger against a generated truth (several webhooks per transaction, snapshots that lag, drops)', () => {
  it('gives one entry per delivered transaction, gaps exactly where a change went missing, whatever the order', () => {
    fc.assert(
      fc.property(
        ledgerTruthArbitrary().chain((truth) => deliveryArbitrary(truth.webhooks).map((d) => ({ truth, ...d }))),
        ({ truth, deliveries, delivered }) => {
          const ledgers = fold(deliveries, truth.cards.map((c) => c.voucherId));
          for (const card of truth.cards) {
            const got = summary(ledgers.get(card.voucherId));
            const expected = expectedLedger(card, delivered);
            if (momentIsAmbiguous(card, delivered)) {
              const keys = (entries: { key: string }[]) => entries.map((e) => e.key).sort();
              expect(keys(got)).toEqual(keys(expected));
              expect(got[got.length - 1]?.balanceAfter).toBe(expected[expected.length - 1]?.balanceAfter);
              continue;
            }
            expect(got).toEqual(expected);
            const gaps = ledgers.get(card.voucherId)?.gaps ?? [];
            const entries = ledgers.get(card.voucherId)?.entries ?? [];
            expect(gaps.map((g) => [g.entryKey, g.points])).toEqual(entries.filter((e) => e.gapBefore !== 0).map((e) => [e.entryKey, e.gapBefore]));
          }
        },
      ),
      { numRuns: Number(process.env.LEDGER_PROPERTY_RUNS ?? 300) },
    );
  });

  it('adds up to the true balance, at every time, where nothing was dropped', () => {
    fc.assert(
      fc.property(ledgerTruthArbitrary(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }), (truth, fractions) => {
        const deliveries = [...truth.webhooks].reverse();
        const ledgers = fold(deliveries, truth.cards.map((c) => c.voucherId));
        for (const card of truth.cards) {
          const entries = ledgers.get(card.voucherId)?.entries ?? [];
          const changes = card.items.flatMap((i) => (i.kind === 'snapshot' ? [] : [i]));
          expect(entries.reduce((sum, e) => sum + (e.points ?? 0), 0)).toBe(changes.length > 0 ? changes[changes.length - 1].after : 0);
          expect(entries.every((e) => e.gapBefore === 0)).toBe(true);
          const first = Date.parse(card.items[0].at);
          const end = Date.parse(card.items[card.items.length - 1].at) + 3_600_000;
          for (const f of fractions) {
            // As of a time: the balance after the last entry at or before it.
            const at = first + f * (end - first);
            const asOf = [...entries].reverse().find((e) => Date.parse(e.occurredAt!) <= at);
            expect(asOf?.balanceAfter ?? 0).toBe(trueBalanceAt(card, at) ?? 0);
          }
        }
      }),
      { numRuns: Number(process.env.LEDGER_PROPERTY_RUNS ?? 200) },
    );
  });
});
