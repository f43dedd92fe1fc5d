import fc from 'fast-check';
import { distinctEvents } from '../support/arbitraries';
import { loyaltyCardsReadModel, toProjectedEvent } from '../../libs/projections/src';
import { buildHistory, historyArbitrary } from '../support/loyalty-history';
import { arrivalArbitrary, asPool, givenEvents, logEvent, orderIndependence, projectedHistory } from '../support/read-model-tier';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { ListLoyaltyCardsHandler, ListLoyaltyCardsQuery } from '../../apps/ledger/src/loyalty-cards/list-loyalty-cards.query';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const TIMES = ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'];

interface Snapshot {
  eventId: string;
  createdAt: string;
  /** voucher.updated_at; absent: the event's created_at stands for it. */
  updatedAt: string | undefined;
  points: number;
  balance: number;
}

const snapshotsArbitrary = distinctEvents(
  8,
  fc.record({
    createdAt: fc.constantFrom(...TIMES),
    updatedAt: fc.option(fc.constantFrom(...TIMES), { nil: undefined }),
    points: fc.integer({ min: 0, max: 100_000 }),
    balance: fc.integer({ min: 0, max: 100_000 }),
  }),
);

const toEvent = (s: Snapshot) =>
  toProjectedEvent(
    logEvent(
      'voucher.updated',
      { voucher: { id: 'v_card', code: 'CARD', type: 'LOYALTY_CARD', holder_id: 'cust_1', updated_at: s.updatedAt, loyalty_card: { points: s.points, balance: s.balance } } },
      s.createdAt,
      s.eventId,
    ),
  );

/** The newest snapshot by source time (updated_at, else the event's created_at), ties by event id. */
function newest(snapshots: Snapshot[]): Snapshot {
  const at = (s: Snapshot) => Date.parse(s.updatedAt ?? s.createdAt);
  return [...snapshots].sort((a, b) => at(a) - at(b) || (a.eventId < b.eventId ? -1 : 1))[snapshots.length - 1];
}

describe('loyalty cards read model against PostgreSQL (evolve + load/save)', () => {
  it('gives the rows of in-order delivery whatever the arrival order and batching', async () => {
    await orderIndependence(() => db.pool, [loyaltyCardsReadModel], 60);
  });

  it('keeps the snapshot with the newest source time, never the latest arrival', async () => {
    const scenario = snapshotsArbitrary.chain((snapshots) => fc.tuple(fc.constant(snapshots), arrivalArbitrary(snapshots.map(toEvent))));
    await fc.assert(
      fc.asyncProperty(scenario, async ([snapshots, batches]) => {
        const row = await givenEvents(db.pool, { models: [loyaltyCardsReadModel], batches }, async (client) => {
          const result = await client.query('SELECT points::int, balance::int, last_event_id FROM loyalty_cards WHERE voucher_id = $1', ['v_card']);
          return result.rows[0];
        });
        const winner = newest(snapshots);
        expect(row).toEqual({ points: winner.points, balance: winner.balance, last_event_id: winner.eventId });
      }),
      { numRuns: 150 },
    );
  });

  it("ends at each generated card's figures, and lists a customer's cards by code", async () => {
    const scenario = historyArbitrary(3, 10).chain((history) => fc.tuple(fc.constant(history), arrivalArbitrary(projectedHistory(history))));
    await fc.assert(
      fc.asyncProperty(scenario, async ([history, batches]) => {
        await givenEvents(db.pool, { models: [loyaltyCardsReadModel], batches }, async (client) => {
          for (const card of history.cards) {
            const listed = await new ListLoyaltyCardsHandler(asPool(client)).execute(new ListLoyaltyCardsQuery(card.customerId));
            expect(listed).toHaveLength(1);
            expect(listed![0]).toMatchObject({
              voucher_id: card.voucherId,
              points: card.points,
              balance: card.balance,
              redeemed_points: card.redeemedPoints,
              expired_points: card.expiredPoints,
            });
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('lists several cards of one customer ordered by code', async () => {
    const codes = fc.uniqueArray(fc.stringMatching(/^[A-Z]{1,4}$/), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(codes, async (list) => {
        const events = list.map((code, i) =>
          toProjectedEvent(logEvent('voucher.updated', { voucher: { id: `v_${i}`, code, type: 'LOYALTY_CARD', holder_id: 'cust_1', loyalty_card: { points: 1, balance: 1 } } }, TIMES[0], `ev_${i}`)),
        );
        const listed = await givenEvents(db.pool, { models: [loyaltyCardsReadModel], batches: [events] }, (client) =>
          new ListLoyaltyCardsHandler(asPool(client)).execute(new ListLoyaltyCardsQuery('cust_1')),
        );
        expect(listed!.map((card) => (card as { code?: string }).code)).toEqual([...list].sort((a, b) => (a < b ? -1 : 1)));
      }),
      { numRuns: 40 },
    );
  });
});

// A hand-checked case next to the properties: the older snapshot arriving last changes nothing.
it('a late, older snapshot leaves the card as the newer one left it', async () => {
  const history = buildHistory([[{ kind: 'add', amount: 100 }, { kind: 'add', amount: 30 }]], 7);
  const [published, first, second] = projectedHistory(history);
  const row = await givenEvents(db.pool, { models: [loyaltyCardsReadModel], batches: [[published, second], [first]] }, async (client) => {
    const result = await client.query('SELECT points::int, balance::int FROM loyalty_cards');
    return result.rows;
  });
  expect(row).toEqual([{ points: 130, balance: 130 }]);
});
