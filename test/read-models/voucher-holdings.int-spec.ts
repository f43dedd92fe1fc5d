import fc from 'fast-check';
import { distinctEvents } from '../support/arbitraries';
import { toProjectedEvent } from '../../libs/projections/src';
import { voucherHoldingsReadModel } from '../../libs/projections/src/voucher-holdings/voucher-holdings.read-model';
import { historyArbitrary } from '../support/loyalty-history';
import { arrivalArbitrary, asPool, givenEvents, logEvent, orderIndependence, projectedHistory } from '../support/read-model-tier';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { ListVoucherHoldingsHandler, ListVoucherHoldingsQuery } from '../../apps/ledger/src/voucher-holdings/list-voucher-holdings.query';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const TIMES = ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z'];

interface Sighting {
  eventId: string;
  /** voucher.created_at: when the holder acquired it, as this sighting tells. */
  createdAt: string;
  /** voucher.updated_at: how fresh this sighting's fields are. */
  updatedAt: string;
  active: boolean;
  deletion: boolean;
}

const sightingsArbitrary = distinctEvents(
  7,
  fc.record({
    createdAt: fc.constantFrom(...TIMES),
    updatedAt: fc.constantFrom(...TIMES),
    active: fc.boolean(),
    // Mostly updates: a deletion is final, so several would hide the rest of the rule.
    deletion: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  }),
);

const toEvent = (s: Sighting) =>
  toProjectedEvent(
    logEvent(
      s.deletion ? 'voucher.deleted' : 'voucher.updated',
      { voucher: { id: 'v_1', code: 'DISC1', type: 'DISCOUNT_VOUCHER', holder_id: 'cust_1', created_at: s.createdAt, updated_at: s.updatedAt, active: s.active } },
      s.updatedAt,
      s.eventId,
    ),
  );

/**
 * Fields from the newest sighting (updated_at, ties by event id), acquisition from the earliest,
 * deletion final. A voucher.deleted that shows the voucher with its holder is a sighting too.
 */
function expectedHolding(sightings: Sighting[]) {
  const seen = sightings;
  const newest = [...seen].sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.eventId < b.eventId ? -1 : 1))[seen.length - 1];
  const acquired = Math.min(...seen.map((s) => Date.parse(s.createdAt)));
  const deleted = sightings.some((s) => s.deletion);
  return { status: deleted ? 'deleted' : newest.active ? 'active' : 'disabled', acquired_at: new Date(acquired).toISOString() };
}

describe('voucher holdings read model against PostgreSQL (evolve + load/save)', () => {
  it('gives the rows of in-order delivery whatever the arrival order and batching', async () => {
    await orderIndependence(() => db.pool, [voucherHoldingsReadModel], 60);
  });

  it('takes fields from the newest sighting, the acquisition from the earliest, and keeps a deletion final', async () => {
    const scenario = sightingsArbitrary.chain((sightings) => fc.tuple(fc.constant(sightings), arrivalArbitrary(sightings.map(toEvent))));
    await fc.assert(
      fc.asyncProperty(scenario, async ([sightings, batches]) => {
        const listed = await givenEvents(db.pool, { models: [voucherHoldingsReadModel], batches }, (client) =>
          new ListVoucherHoldingsHandler(asPool(client)).execute(new ListVoucherHoldingsQuery('cust_1')),
        );
        expect(listed).toHaveLength(1);
        expect({ status: listed![0].status, acquired_at: listed![0].acquired_at }).toEqual(expectedHolding(sightings));
      }),
      { numRuns: 150 },
    );
  });

  it('lists a generated customer’s vouchers by acquisition time, the used ones used up', async () => {
    const scenario = historyArbitrary(2, 12).chain((history) => fc.tuple(fc.constant(history), arrivalArbitrary(projectedHistory(history))));
    await fc.assert(
      fc.asyncProperty(scenario, async ([history, batches]) => {
        await givenEvents(db.pool, { models: [voucherHoldingsReadModel], batches }, async (client) => {
          const used = new Set(history.events.filter((e) => e.type === 'redemption.succeeded').map((e) => (e.data.voucher as { id: string }).id));
          for (const card of history.cards) {
            const listed = (await new ListVoucherHoldingsHandler(asPool(client)).execute(new ListVoucherHoldingsQuery(card.customerId)))!;
            const acquired = listed.map((h) => Date.parse(h.acquired_at!));
            expect(acquired).toEqual([...acquired].sort((a, b) => a - b));
            expect(listed.map((h) => h.voucher_id)).toContain(card.voucherId);
            for (const h of listed) expect(h.status).toBe(used.has(h.voucher_id) ? 'used_up' : 'active');
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});
