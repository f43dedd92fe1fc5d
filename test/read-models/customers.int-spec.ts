import fc from 'fast-check';
import { loyaltyCardsReadModel, toProjectedEvent } from '../../libs/projections/src';
import { customersReadModel } from '../../libs/projections/src/customers/customers.read-model';
import { arrivalArbitrary, asPool, givenEvents, logEvent, orderIndependence } from '../support/read-model-tier';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { GetCustomerHandler, GetCustomerQuery } from '../../apps/ledger/src/customers/get-customer.query';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

// Few distinct times, so ties (broken by event id) and missing times (oldest) are frequent.
const TIMES = ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z', null];
const KINDS = ['customer.created', 'customer.updated', 'customer.deleted', 'voucher.loyalty_card.points_added'] as const;

interface Sent {
  eventId: string;
  kind: (typeof KINDS)[number];
  at: string | null;
  name: string;
}

const sentArbitrary = fc
  .uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 8 })
  .chain((ids) =>
    fc.tuple(...ids.map((id) => fc.record({ eventId: fc.constant(`ev_${String(id).padStart(3, '0')}`), kind: fc.constantFrom(...KINDS), at: fc.constantFrom(...TIMES), name: fc.constantFrom('Ann', 'Bea', 'Cid') }))),
  );

const toEvent = (s: Sent) =>
  toProjectedEvent(
    s.kind === 'voucher.loyalty_card.points_added'
      ? // A summary of the customer inside another event: outranked by any full profile.
        logEvent(s.kind, { holder: { id: 'cust_1', name: s.name } }, s.at, s.eventId)
      : logEvent(s.kind, { customer: { id: 'cust_1', source_id: 'src-1', name: s.name } }, s.at, s.eventId),
  );

/** The rule, written independently of evolve: full profiles outrank summaries, then the newest source time, then the highest event id. */
function expectedProfile(sent: Sent[]) {
  const rank = (s: Sent) => (s.kind === 'voucher.loyalty_card.points_added' ? 0 : 1);
  const key = (s: Sent) => [rank(s), s.at === null ? -Infinity : Date.parse(s.at), s.eventId] as const;
  const winner = [...sent].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || (ka[2] < kb[2] ? -1 : ka[2] > kb[2] ? 1 : 0);
  })[sent.length - 1];
  return { name: winner.name, deleted: sent.some((s) => s.kind === 'customer.deleted') };
}

describe('customers read model against PostgreSQL (evolve + load/save)', () => {
  it('gives the rows of in-order delivery whatever the arrival order and batching', async () => {
    await orderIndependence(() => db.pool, [customersReadModel], 60);
  });

  it('keeps the full profile with the newest source time (ties by event id), and a deletion is final', async () => {
    const scenario = sentArbitrary.chain((sent) => fc.tuple(fc.constant(sent), arrivalArbitrary(sent.map(toEvent))));
    await fc.assert(
      fc.asyncProperty(scenario, async ([sent, batches]) => {
        const row = await givenEvents(db.pool, { models: [customersReadModel], batches }, async (client) => {
          const result = await client.query('SELECT name, deleted FROM customers WHERE id = $1', ['cust_1']);
          return result.rows[0];
        });
        expect(row).toEqual(expectedProfile(sent));
      }),
      { numRuns: 150 },
    );
  });

  it('answers totals summed over the cards, by id or source id, whatever order the cards arrive in', async () => {
    const cards = fc.array(fc.record({ points: fc.integer({ min: 0, max: 10_000 }), balance: fc.integer({ min: 0, max: 10_000 }) }), { minLength: 0, maxLength: 5 });
    const scenario = cards.chain((figures) => {
      const events = [
        toProjectedEvent(logEvent('customer.created', { customer: { id: 'cust_1', source_id: 'src-1', name: 'Ann' } }, TIMES[0], 'ev_profile')),
        ...figures.map((f, i) =>
          toProjectedEvent(
            logEvent('voucher.updated', { voucher: { id: `v_${i}`, code: `C${i}`, type: 'LOYALTY_CARD', holder_id: 'cust_1', loyalty_card: f } }, TIMES[1], `ev_card${i}`),
          ),
        ),
      ];
      return fc.tuple(fc.constant(figures), arrivalArbitrary(events));
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ([figures, batches]) => {
        const [byId, bySource] = await givenEvents(db.pool, { models: [customersReadModel, loyaltyCardsReadModel], batches }, async (client) => [
          await new GetCustomerHandler(asPool(client)).execute(new GetCustomerQuery('cust_1')),
          await new GetCustomerHandler(asPool(client)).execute(new GetCustomerQuery('src-1')),
        ]);
        const sum = (field: 'points' | 'balance') => figures.reduce((total, f) => total + f[field], 0);
        expect(byId?.loyalty).toMatchObject({ points: sum('points'), balance: sum('balance'), cards: figures.length, points_unreadable: false });
        expect(bySource).toEqual(byId);
      }),
      { numRuns: 60 },
    );
  });
});
