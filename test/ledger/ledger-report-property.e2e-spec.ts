import fc from 'fast-check';
import { presentEntry } from '../../apps/ledger/src/points-ledger/ledger.rows';
import type { LedgerEntry } from '../../libs/projections/src/points-ledger/ledger-chain';
import { deliverShuffled } from '../support/deliver-history';
import { foldDeliveries } from '../support/ledger-fold';
import { ALL_SHAPES, CardTruth, deletionOf, expectedEntries, LedgerTruth, ledgerTruthArbitrary, momentIsAmbiguous, Webhook } from '../support/ledger-truth';
import { rebuildProjections } from '../../libs/event-store/src';
import { rebuildTargets } from '../../libs/projections/src';
import { getJson } from '../support/read-api';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';

/*
 * The period report, the ledger and the as-of answers of a real service (PostgreSQL, the projector
 * in small batches), from a generated truth with deletions, rewards paid in points and expiries with
 * due dates, delivered with drops, shuffled and twice. Each run has a database and a service of its
 * own. The oracles: the truth for balances (as of any time, 0 from a deletion on), and the ledger's
 * pure fold over the same deliveries (test/ledger/ledger-property.spec.ts holds it to the truth) for
 * what the service's batches, windows and stored deletions must give, entry by entry.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const EARLIEST = Date.UTC(2023, 11, 27); // due dates go back a few days before the histories
const LATEST = Date.UTC(2024, 0, 1, 13); // the histories end by 2024-01-01T12:30

/** Times the truth names (changes, snapshots, deletions, due dates): where bounds are sharpest. */
const namedTimes = (truth: LedgerTruth) => [
  ...new Set(
    truth.cards.flatMap((c) => c.items.flatMap((i) => [Date.parse(i.at), ...(i.kind === 'tx' && i.due ? [Date.parse(i.due.at)] : []), ...(i.kind === 'reward-paid' ? [Date.parse(i.observedAt)] : [])])),
  ),
];

/** Instants a period can start or end at: anywhere, or at (or a millisecond around) a time the truth names. */
const instantArbitrary = (truth: LedgerTruth): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: EARLIEST, max: LATEST }), fc.tuple(fc.constantFrom(...namedTimes(truth)), fc.constantFrom(-1, 0, 1)).map(([t, jitter]) => t + jitter));

const periodArbitrary = (truth: LedgerTruth) =>
  fc.tuple(instantArbitrary(truth), instantArbitrary(truth)).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) + (a === b ? 1 : 0) }));

const scenarioArbitrary = ledgerTruthArbitrary(6, 12, ALL_SHAPES).chain((truth) =>
  fc.record({
    truth: fc.constant(truth),
    // Each webhook dropped (0, 1), delivered (2..7) or delivered late, after all the others (8, 9): a
    // late one meets a ledger that has moved on (its card's window, a deletion already stored, a
    // reward already booked). deliverShuffled shuffles each wave and sends a third of it twice.
    fates: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: truth.webhooks.length, maxLength: truth.webhooks.length }),
    // Or one subscription late as a whole (its endpoint failed a while, Voucherify retried it later):
    // every delivered webhook of that type comes after the others.
    lateType: fc.option(fc.constantFrom(...new Set(truth.webhooks.map((w) => w.type))), { freq: 2 }),
    seed: fc.nat(),
    // Small batches: each card's chain is rebuilt window by window, the deletions stored before.
    batchSize: fc.integer({ min: 1, max: 12 }),
    periods: fc.array(periodArbitrary(truth), { minLength: 3, maxLength: 3 }),
  }),
);

const inPeriod = (at: number, from: number, to: number) => at >= from && at < to;

/** A campaign's movements of a period by kind (and unexplained), from entries: booked, or expiries by their due date. */
function movementsOf(entries: LedgerEntry[], from: number, to: number, basis: 'booked' | 'due'): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const e of entries) {
    const at = Date.parse(e.occurredAt!);
    const when = basis === 'due' && e.kind === 'expired' && e.dueAt ? Date.parse(e.dueAt) : at;
    if (inPeriod(when, from, to) && e.points) sums[e.kind] = (sums[e.kind] ?? 0) + e.points;
    if (inPeriod(at, from, to) && e.gapBefore) sums.unexplained = (sums.unexplained ?? 0) + e.gapBefore;
  }
  return sums;
}

/** By due date, an expiry due before a bound and booked at or after it counts in the balance at that bound. */
const dueShift = (entries: LedgerEntry[], bound: number) =>
  entries.filter((e) => e.kind === 'expired' && e.dueAt && Date.parse(e.dueAt) < bound && Date.parse(e.occurredAt!) >= bound).reduce((sum, e) => sum + e.points!, 0);

/** The balance entries in true order give at a time (inclusive): null before the first. */
function balanceAt(entries: { at: string; balanceAfter: number }[], at: number): number | null {
  let balance: number | null = null;
  for (const e of entries) if (Date.parse(e.at) <= at) balance = e.balanceAfter;
  return balance;
}

const nonZero = (movements: Record<string, number>) => Object.fromEntries(Object.entries(movements).filter(([, v]) => v !== 0));

/** The seed the suite runs the service property with (see the options below). */
const DEFAULT_SEED = 20261206;

describe('the period report, the ledger and the as-of answers through the service, from a generated truth (deletions, rewards paid in points, due dates, drops, twins)', () => {
  it('has opening + movements = closing per campaign on both expiry bases, closing balances that are the as-of balances of the cards (deleted ones at 0), the true balances, and the entries and movements of the pure fold', async () => {
    let runs = 0;
    const seen = { deletedCards: 0, lateTransactions: 0, campaignDeletions: 0, dueShifts: 0, rewards: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ truth, fates, lateType, seed, batchSize, periods }) => {
        runs++;
        const db = await createTestDatabase();
        // A read waits (X-Min-Position) for the projector: in batches of one on a busy machine, more than the default 2 s.
        const service = await startTestApp(db.url, { projectorBatchSize: batchSize, projectorPollMs: 50, minPositionTimeoutMs: 30_000 });
        try {
          const kept = truth.webhooks.filter((_, i) => fates[i] >= 2);
          const late = (w: Webhook) => w.type === lateType || fates[truth.webhooks.indexOf(w)] >= 8;
          const head = Math.max(
            await deliverShuffled(service.baseUrl, { events: kept.filter((w) => !late(w)) }, seed),
            await deliverShuffled(service.baseUrl, { events: kept.filter(late) }, seed + 1),
          );
          const get = (path: string) => getJson(service.baseUrl, path, head);
          const delivered = new Set(kept.map((w) => w.eventId));
          const folded = foldDeliveries(kept, truth.cards);
          const entriesOf = (card: CardTruth) => folded.get(card.voucherId)?.entries ?? [];
          const truthOf = new Map(truth.cards.map((c) => [c, expectedEntries(c, delivered)]));
          for (const card of truth.cards) {
            const entries = entriesOf(card);
            if (entries.some((e) => e.entryKey.startsWith('deleted:'))) seen.deletedCards++;
            if (entries.some((e) => e.entryKey.startsWith('deleted:evlt_') && /_c\d_/.test(e.entryKey))) seen.campaignDeletions++;
            if (entries.some((e) => e.entryKey.startsWith('written_off:'))) seen.lateTransactions++;
            if (entries.some((e) => e.kind === 'redeemed' && (e.transactionType === 'POINTS_REDEMPTION' || e.related.redemption_id))) seen.rewards++;

            // The service's ledger is the fold's, entry by entry, whatever its batches and the arrival order.
            const page = await get(`/loyalty-cards/${card.voucherId}/ledger?limit=500`);
            // (A card the ledger has no entry for may be unknown to the service: 404.)
            expect([card.voucherId, page.status === 200 || page.status === 404 ? 'answered' : page]).toEqual([card.voucherId, 'answered']);
            const listed = page.status === 404 ? [] : page.json.data.reverse();
            expect([card.voucherId, listed]).toEqual([card.voucherId, entries.map(presentEntry)]);
          }

          // A rebuild gives the same rows: folded in memory, or (every other run) written after each batch,
          // so that windows are loaded back and a campaign's deletion finds its cards in the tables.
          const ledgerRows = async () => Object.fromEntries(Object.entries(await dumpReadModels(db.pool)).filter(([table]) => table.startsWith('ledger_')));
          const liveRows = await ledgerRows();
          await rebuildProjections(db.pool, rebuildTargets(['ledger']), { batchSize, fresh: true, maxMemoryMb: seed % 2 === 0 ? 0 : undefined });
          expect(await ledgerRows()).toEqual(liveRows);

          /** A card's as-of answer (inclusive); 0 when it had no ledger entry yet (404). */
          const asOf = async (card: CardTruth, at: number): Promise<number> => {
            const answer = await get(`/loyalty-cards/${card.voucherId}?as_of=${iso(at)}`);
            const deletion = deletionOf(card, delivered);
            const truthThen = balanceAt(truthOf.get(card)!, at);
            const where = [card.voucherId, iso(at)];
            if (answer.status === 404) {
              expect([...where, truthThen]).toEqual([...where, null]);
              return 0;
            }
            expect([...where, answer.status]).toEqual([...where, 200]);
            // A deleted card holds nothing from its deletion on, and says it is deleted.
            if (deletion !== null && Date.parse(deletion.at) <= at) expect([...where, answer.json.balance, answer.json.deleted]).toEqual([...where, 0, true]);
            // The truth's balance then (the order of an ambiguous moment is not the truth's: see the unit property).
            if (!momentIsAmbiguous(card, delivered)) expect([...where, answer.json.balance]).toEqual([...where, truthThen]);
            return answer.json.balance;
          };

          for (const { from, to } of periods) {
            const reports: Record<'booked' | 'due', Map<string, any>> = { booked: new Map(), due: new Map() };
            for (const basis of ['booked', 'due'] as const) {
              const answer = await get(`/reports/points?from=${iso(from)}&to=${iso(to)}&expiry_basis=${basis}`);
              expect(answer.status).toBe(200);
              for (const c of answer.json.campaigns) {
                reports[basis].set(c.campaign_id, c);
                const moved = Object.values(c.movements as Record<string, number>).reduce((a, b) => a + b, 0);
                expect([basis, c.campaign_id, c.opening_balance + moved]).toEqual([basis, c.campaign_id, c.closing_balance]);
              }
            }
            for (const campaignId of new Set(truth.cards.map((c) => c.campaignId))) {
              const cards = truth.cards.filter((c) => c.campaignId === campaignId);
              const entries = cards.flatMap(entriesOf);
              // Report `to` is exclusive and as_of inclusive: a period's balance at a bound is as of a millisecond before it.
              let opening = 0;
              let closing = 0;
              for (const card of cards) {
                opening += await asOf(card, from - 1);
                closing += await asOf(card, to - 1);
              }
              const shifts = { opening: dueShift(entries, from), closing: dueShift(entries, to) };
              if (shifts.opening !== 0 || shifts.closing !== 0) seen.dueShifts++;
              const figures = (r: any) => (r ? { opening: r.opening_balance, closing: r.closing_balance, movements: nonZero(r.movements) } : null);
              // A campaign none of whose cards has an entry before the period's end is not in the report.
              const known = entries.some((e) => Date.parse(e.occurredAt!) < to);
              // By due date, an expiry moved across a bound of the period brings its campaign in too (the periods chain).
              const inPeriod = (t: number) => t >= from && t < to;
              const straddles = (e: (typeof entries)[number]) => {
                if (e.kind !== 'expired' || e.dueAt === null) return false;
                const [due, booked] = [Date.parse(e.dueAt), Date.parse(e.occurredAt!)];
                return (due < from && booked >= from) || (due < to && booked >= to) || (inPeriod(due) && !inPeriod(booked));
              };
              const want = (basis: 'booked' | 'due', open: number, close: number) =>
                known || (basis === 'due' && entries.some(straddles)) ? { opening: open, closing: close, movements: nonZero(movementsOf(entries, from, to, basis)) } : null;
              const period = { campaignId, from: iso(from), to: iso(to) };
              expect({ ...period, booked: figures(reports.booked.get(campaignId)) }).toEqual({ ...period, booked: want('booked', opening, closing) });
              expect({ ...period, due: figures(reports.due.get(campaignId)) }).toEqual({ ...period, due: want('due', opening + shifts.opening, closing + shifts.closing) });
            }
          }
        } finally {
          await service.close();
          await db.drop();
        }
      }),
      // Each run starts a database and a service: few runs, and a failure is reported as found (its seed and
      // path replay it: LEDGER_REPORT_PROPERTY_SEED, _PATH; LEDGER_REPORT_PROPERTY_SHRINK=1 shrinks it, slowly).
      {
        numRuns: Number(process.env.LEDGER_REPORT_PROPERTY_RUNS ?? 15),
        endOnFailure: !process.env.LEDGER_REPORT_PROPERTY_SHRINK,
        // Fifteen runs are too few for every shape to come up by chance each time: a fixed seed (met shapes checked
        // below) keeps CI stable; LEDGER_REPORT_PROPERTY_SEED=random explores new ones, a number replays one.
        ...(process.env.LEDGER_REPORT_PROPERTY_SEED === 'random'
          ? {}
          : { seed: Number(process.env.LEDGER_REPORT_PROPERTY_SEED ?? DEFAULT_SEED), path: process.env.LEDGER_REPORT_PROPERTY_PATH }),
      },
    );
    if (!process.env.LEDGER_REPORT_PROPERTY_PATH) {
      expect(runs).toBeGreaterThanOrEqual(Number(process.env.LEDGER_REPORT_PROPERTY_RUNS ?? 15));
      // The shapes the report must get right were met.
      for (const [shape, count] of Object.entries(seen)) expect([shape, count > 0]).toEqual([shape, true]);
    }
  }, 200_000);

  // The smallest case of what the property above finds (LEDGER_REPORT_PROPERTY_SEED=488527864 _PATH=12, or
  // 741982267 and 14): by due date, an expiry due in a period whose card has no entry before the period's
  // end is in no period's movements, and the period's closing balance is not the next one's opening balance.
  it('counts an expiry by its due date in the period it was due, even for a card with no entry before that period ends (due basis)', async () => {
    const db = await createTestDatabase();
    const service = await startTestApp(db.url, { projectorPollMs: 50, minPositionTimeoutMs: 30_000 });
    try {
      // The card's first entry: an expiry booked on 1 January of points due on 31 December (its accruals never arrived).
      const at = '2024-01-01T06:00:02.000Z';
      const transaction = {
        id: 'vtx_due',
        type: 'POINTS_EXPIRATION',
        voucher_id: 'v_due',
        campaign_id: 'camp_due',
        created_at: at,
        details: { balance: { type: 'loyalty_card', points: -4, total: 30, balance: 30, related_object: { id: 'v_due', type: 'voucher' } } },
      };
      const voucher = { id: 'v_due', code: 'DUE-1', type: 'LOYALTY_CARD', campaign: 'Due', campaign_id: 'camp_due', updated_at: at, loyalty_card: { points: 34, balance: 30 } };
      const webhook = { eventId: 'ev_due', type: 'voucher.loyalty_card.points_expired', createdAt: at, data: { voucher, transaction, buckets: [{ expires_at: '2023-12-31T23:59:59.000Z', total_points: 4 }] } };
      const head = await deliverShuffled(service.baseUrl, { events: [webhook] });
      const report = async (from: string, to: string) => {
        const answer = await getJson(service.baseUrl, `/reports/points?from=${from}&to=${to}&expiry_basis=due`, head);
        return (answer.json.campaigns as any[]).map((c) => ({ opening: c.opening_balance, expired: c.movements.expired, unexplained: c.movements.unexplained, closing: c.closing_balance }));
      };
      // Over both days: the 4 points expired, 34 unexplained, 30 left.
      expect(await report('2023-12-31T00:00:00.000Z', '2024-01-02T00:00:00.000Z')).toEqual([{ opening: 0, expired: -4, unexplained: 34, closing: 30 }]);
      // Day by day, the same: the expiry on the 31st, when it was due, and the 31st closes where the 1st opens.
      expect({
        december31: await report('2023-12-31T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
        january1: await report('2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'),
      }).toEqual({
        december31: [{ opening: 0, expired: -4, unexplained: 0, closing: -4 }],
        january1: [{ opening: -4, expired: 0, unexplained: 34, closing: 30 }],
      });
    } finally {
      await service.close();
      await db.drop();
    }
  });
});
