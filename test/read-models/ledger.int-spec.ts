import fc from 'fast-check';
import { canonicalEventType } from '../../libs/voucherify/src';
import { ledgerReadModel, loyaltyCardsReadModel, toProjectedEvent } from '../../libs/projections/src';
import { ListLedgerEntriesHandler, ListLedgerEntriesQuery } from '../../apps/ledger/src/points-ledger/list-ledger-entries.query';
import { PointsHistoryHandler, PointsHistoryQuery } from '../../apps/ledger/src/points-ledger/points-history.query';
import { expectedLedger, ledgerTruthArbitrary, momentIsAmbiguous, Webhook } from '../support/ledger-truth';
import { arrivalArbitrary, asPool, givenEvents, logEvent, orderIndependence } from '../support/read-model-tier';
import { createTestDatabase, TestDatabase } from '../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const toEvent = (w: Webhook) => toProjectedEvent(logEvent(canonicalEventType(w.type), w.data, w.createdAt, w.eventId));

/**
 * The ledger's evolve with its real load and save (the window of each card's chain a batch
 * rewrites, its baseline), batch by batch, on PostgreSQL: many arrival orders and batch cuts.
 */
describe('ledger (evolve + load/save on PostgreSQL)', () => {
  it('keeps one entry per transaction and the gaps of the truth, whatever the batches', async () => {
    const scenario = ledgerTruthArbitrary(3, 10).chain((truth) =>
      fc
        .subarray(truth.webhooks, { minLength: Math.ceil(truth.webhooks.length * 0.7) })
        .chain((kept) => arrivalArbitrary([...kept, ...kept.slice(0, 3)]).map((batches) => ({ truth, kept, batches }))),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ truth, kept, batches }) => {
        const delivered = new Set(kept.map((w) => w.eventId));
        await givenEvents(db.pool, { models: [ledgerReadModel], batches: batches.map((b) => b.map(toEvent)) }, async (client) => {
          for (const card of truth.cards) {
            const page = await new ListLedgerEntriesHandler(asPool(client)).execute(new ListLedgerEntriesQuery({ voucherId: card.voucherId, limit: 500 }));
            // A transaction's entry is keyed by its transaction id.
            const got = [...page.data].reverse().map((e) => ({
              key: e.derived ? `derived@${e.occurred_at}` : e.transaction_id,
              points: e.points,
              balanceAfter: e.balance_after,
              unexplainedBefore: e.unexplained_before,
            }));
            const expected = expectedLedger(card, delivered);
            if (momentIsAmbiguous(card, delivered)) {
              // The facts cannot tell the order of that moment (see momentIsAmbiguous): same entries, same end.
              expect(got.map((e) => e.key).sort()).toEqual(expected.map((e) => e.key).sort());
              expect(got[got.length - 1]?.balanceAfter).toBe(expected[expected.length - 1]?.balanceAfter);
              continue;
            }
            expect(got).toEqual(expected);
            const gaps = await client.query('SELECT entry_key, points FROM ledger_gaps WHERE voucher_id = $1 ORDER BY to_at, entry_key', [card.voucherId]);
            expect(gaps.rows.map((r) => Number(r.points))).toEqual(got.filter((e) => e.unexplainedBefore !== 0).map((e) => e.unexplainedBefore));
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('writes the same rows in any order (generated loyalty histories)', () => orderIndependence(() => db.pool, [ledgerReadModel], 40));

  it('pages the points history newest first, with no entry lost or repeated', async () => {
    const truth = fc.sample(ledgerTruthArbitrary(1, 14), { numRuns: 20, seed: 3 }).reduce((a, b) => (b.webhooks.length > a.webhooks.length ? b : a));
    const card = truth.cards[0];
    await givenEvents(db.pool, { models: [ledgerReadModel, loyaltyCardsReadModel], batches: [truth.webhooks.map(toEvent)] }, async (client) => {
      const pointsHistory = (page: PointsHistoryQuery['page']) => new PointsHistoryHandler(asPool(client)).execute(new PointsHistoryQuery(page));
      const all = await pointsHistory({ customerId: card.customerId, limit: 500 });
      expect(all!.data.length).toBeGreaterThan(3);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await pointsHistory({ customerId: card.customerId, limit: 2, cursor });
        seen.push(...page!.data.map((e) => `${e.voucher_id}/${e.transaction_id ?? e.event_id}`));
        if (!page!.next_cursor) break;
        expect(page!.next_cursor).not.toBe(cursor);
        cursor = page!.next_cursor;
      }
      expect(seen).toEqual(all!.data.map((e) => `${e.voucher_id}/${e.transaction_id ?? e.event_id}`));
    });
  });
});
