import fc from 'fast-check';
import { loyaltyCardsReadModel, pagePointsHistory, toProjectedEvent } from '../../libs/projections/src';
import { pointsHistoryReadModel } from '../../libs/projections/src/points-history/points-history.read-model';
import { historyArbitrary } from '../support/loyalty-history';
import { arrivalArbitrary, asPool, givenEvents, logEvent, orderIndependence, projectedHistory } from '../support/read-model-tier';
import { createTestDatabase, TestDatabase } from '../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const BASE = Date.parse('2024-01-01T00:00:00.000Z');

interface Snapshot {
  eventId: string;
  at: string;
  balance: number;
}

/** Snapshots of one card without a stated change (no `balance` object): each delta is derived from its neighbour. */
const snapshotsArbitrary = fc
  .uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 10 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.record({
          eventId: fc.constant(`ev_${String(id).padStart(3, '0')}`),
          // Few distinct times: ties are broken by event id.
          at: fc.integer({ min: 0, max: 5 }).map((day) => new Date(BASE + day * 86_400_000).toISOString()),
          balance: fc.integer({ min: 0, max: 10_000 }),
        }),
      ),
    ),
  );

const toEvent = (s: Snapshot) =>
  toProjectedEvent(
    logEvent('voucher.updated', { voucher: { id: 'v_card', code: 'CARD', type: 'LOYALTY_CARD', holder_id: 'cust_1', updated_at: s.at, loyalty_card: { points: s.balance, balance: s.balance } } }, s.at, s.eventId),
  );

const bySourceTime = (a: Snapshot, b: Snapshot) => Date.parse(a.at) - Date.parse(b.at) || (a.eventId < b.eventId ? -1 : 1);

describe('points history read model against PostgreSQL (evolve + load/save)', () => {
  it('gives the rows of in-order delivery whatever the arrival order and batching', async () => {
    await orderIndependence(() => db.pool, [pointsHistoryReadModel], 80);
  });

  it('orders entries by source time and derives each delta from the entry before, late events included', async () => {
    const scenario = snapshotsArbitrary.chain((snapshots) => fc.tuple(fc.constant(snapshots), arrivalArbitrary(snapshots.map(toEvent))));
    await fc.assert(
      fc.asyncProperty(scenario, async ([snapshots, batches]) => {
        const rows = await givenEvents(db.pool, { models: [pointsHistoryReadModel], batches }, async (client) => {
          const result = await client.query(`SELECT event_id, delta::int, balance_after::int FROM points_history ORDER BY occurred_at, event_id COLLATE "C"`);
          return result.rows;
        });
        let previous = 0;
        const expected = [...snapshots].sort(bySourceTime).map((s) => {
          const row = { event_id: s.eventId, delta: s.balance - previous, balance_after: s.balance };
          previous = s.balance;
          return row;
        });
        expect(rows).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps stated changes, ends at the card balance, and pages newest first without gaps or repeats', async () => {
    const scenario = historyArbitrary(2, 10).chain((history) =>
      fc.tuple(fc.constant(history), arrivalArbitrary(projectedHistory(history)), fc.integer({ min: 1, max: 7 })),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ([history, batches, limit]) => {
        // The card makes the customer known to the query (it resolves customers through their cards).
        await givenEvents(db.pool, { models: [pointsHistoryReadModel, loyaltyCardsReadModel], batches }, async (client) => {
          for (const card of history.cards) {
            const pages = [];
            let cursor: string | undefined;
            do {
              // A cursor that does not move on would loop forever: no history has more pages than entries.
              expect(pages.length).toBeLessThanOrEqual(history.events.length);
              const page = await pagePointsHistory(asPool(client), { customerId: card.customerId, limit, cursor });
              expect(page!.data.length).toBeLessThanOrEqual(limit);
              pages.push(...page!.data);
              cursor = page!.next_cursor ?? undefined;
            } while (cursor);
            const events = history.events.filter((e) => (e.data.voucher as { id?: string } | undefined)?.id === card.voucherId);
            // Every event that showed the card, once, newest first; the newest carries the card's balance.
            expect(pages.map((e) => e.event_id)).toEqual([...events].reverse().map((e) => e.eventId));
            expect(pages[0].balance_after).toBe(card.balance);
            // Each entry's delta is the change the event stated (or 0 for the publication).
            for (const entry of pages) {
              const stated = history.events.find((e) => e.eventId === entry.event_id)!.data.balance as { points: number } | undefined;
              expect(entry.delta).toBe(stated?.points ?? 0);
            }
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});
