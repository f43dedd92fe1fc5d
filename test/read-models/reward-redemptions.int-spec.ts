import fc from 'fast-check';
import { loyaltyCardsReadModel, toProjectedEvent } from '../../libs/projections/src';
import { rewardRedemptionsReadModel } from '../../libs/projections/src/reward-redemptions/reward-redemptions.read-model';
import { historyArbitrary } from '../support/loyalty-history';
import { arrivalArbitrary, asPool, givenEvents, logEvent, orderIndependence, projectedHistory } from '../support/read-model-tier';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { GetRewardRedemptionHandler, GetRewardRedemptionQuery } from '../../apps/ledger/src/reward-redemptions/get-reward-redemption.query';
import { ListRewardRedemptionsHandler, ListRewardRedemptionsQuery } from '../../apps/ledger/src/reward-redemptions/list-reward-redemptions.query';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

type State = 'CREATED' | 'PENDING' | 'COMPLETED' | 'ROLLEDBACK';
interface Shown {
  id: string;
  state: State;
  created_at: string;
  transitions: { event_id: string; to: State; applied: boolean }[];
}
const STATES: State[] = ['CREATED', 'PENDING', 'COMPLETED', 'ROLLEDBACK'];
const TIMES = ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z'];

interface Observed {
  eventId: string;
  state: State;
  at: string;
}

const observedArbitrary = fc
  .uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 7 })
  .chain((ids) =>
    fc.tuple(...ids.map((id) => fc.record({ eventId: fc.constant(`ev_${String(id).padStart(3, '0')}`), state: fc.constantFrom(...STATES), at: fc.constantFrom(...TIMES) }))),
  );

const toEvent = (o: Observed) =>
  toProjectedEvent(
    logEvent(
      `customer.reward_redemptions.${o.state.toLowerCase()}`,
      { customer: { id: 'cust_1' }, reward_redemption: { id: 'rewr_1', state: o.state, customer_id: 'cust_1', voucher_id: 'v_card' } },
      o.at,
      o.eventId,
    ),
  );

/**
 * The documented rule, written again here: observations sorted by source time (ties by event id)
 * are replayed through CREATED → PENDING → COMPLETED, CREATED/PENDING → ROLLEDBACK (CREATED may
 * skip PENDING); a finished redemption never moves back; a repeat of the current state is no move.
 */
function expectedReplay(observed: Observed[]) {
  const next: Record<State, State[]> = { CREATED: ['PENDING', 'COMPLETED', 'ROLLEDBACK'], PENDING: ['COMPLETED', 'ROLLEDBACK'], COMPLETED: [], ROLLEDBACK: [] };
  let state: State | null = null;
  const moves: { event_id: string; to: State; applied: boolean }[] = [];
  for (const o of [...observed].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.eventId < b.eventId ? -1 : 1))) {
    if (o.state === state) continue;
    const applied: boolean = state === null || next[state].includes(o.state);
    moves.push({ event_id: o.eventId, to: o.state, applied });
    if (applied) state = o.state;
  }
  return { state, moves };
}

describe('reward redemptions read model against PostgreSQL (evolve + load/save)', () => {
  it('gives the rows of in-order delivery whatever the arrival order and batching', async () => {
    await orderIndependence(() => db.pool, [rewardRedemptionsReadModel], 60);
  });

  it('replays the state machine over the observations in source-time order, listing ignored moves', async () => {
    const scenario = observedArbitrary.chain((observed) => fc.tuple(fc.constant(observed), arrivalArbitrary(observed.map(toEvent))));
    await fc.assert(
      fc.asyncProperty(scenario, async ([observed, batches]) => {
        const redemption = await givenEvents(db.pool, { models: [rewardRedemptionsReadModel], batches }, async (client) => (await new GetRewardRedemptionHandler(asPool(client)).execute(new GetRewardRedemptionQuery('rewr_1'))) as unknown as Shown);
        const expected = expectedReplay(observed);
        expect(redemption.state).toBe(expected.state);
        expect(redemption.transitions.map((t) => ({ event_id: t.event_id, to: t.to, applied: t.applied }))).toEqual(expected.moves);
      }),
      { numRuns: 150 },
    );
  });

  it('ends in each generated redemption’s state, listed by customer newest first', async () => {
    const scenario = historyArbitrary(2, 10).chain((history) => fc.tuple(fc.constant(history), arrivalArbitrary(projectedHistory(history))));
    await fc.assert(
      fc.asyncProperty(scenario, async ([history, batches]) => {
        // The card makes the customer known to the customer-scoped query.
        await givenEvents(db.pool, { models: [rewardRedemptionsReadModel, loyaltyCardsReadModel], batches }, async (client) => {
          const states: Record<string, string> = {};
          for (const card of history.cards) {
            const listed = (await new ListRewardRedemptionsHandler(asPool(client)).execute(new ListRewardRedemptionsQuery(card.customerId))) as unknown as Shown[];
            const created = listed.map((r) => Date.parse(r.created_at));
            expect(created).toEqual([...created].sort((a, b) => b - a));
            for (const r of listed) states[r.id] = r.state;
          }
          expect(states).toEqual(history.redemptionStates);
        });
      }),
      { numRuns: 60 },
    );
  });
});
