import { projectedEvent } from '../test-events';
import { evolveRewardRedemption, MAX_REDEMPTION_OBSERVATIONS, replayTransitions, RewardRedemption } from './reward-redemption.evolve';

const event = (state: string, minute: number) =>
  projectedEvent(
    `customer.reward_redemptions.${state}`,
    {
      reward_redemption: { id: 'rewr_1', customer_id: 'cust_1', voucher_id: 'v_card', source_id: 'r_1', created_at: '2024-05-13T10:00:00Z' },
      reward: { id: 'rew_1', name: 'Bottle', type: 'MATERIAL' },
      reward_assignment: { parameters: { loyalty: { points: 50 } } },
    },
    `2024-05-13T10:${String(minute).padStart(2, '0')}:00.000Z`,
    `ev_${state}_${minute}`,
  );
const fold = (events: ReturnType<typeof event>[]) =>
  events.reduce<RewardRedemption | undefined>((r, e) => evolveRewardRedemption(r, e), undefined);

describe('evolveRewardRedemption', () => {
  it('follows CREATED → PENDING → COMPLETED', () => {
    const redemption = fold([event('created', 1), event('pending', 2), event('completed', 3)]);
    expect(redemption).toMatchObject({ state: 'COMPLETED', points: 50, rewardName: 'Bottle', sourceId: 'r_1', updatedAt: '2024-05-13T10:03:00.000Z' });
    expect(redemption?.transitions.map((t) => [t.from, t.to, t.applied])).toEqual([
      [null, 'CREATED', true],
      ['CREATED', 'PENDING', true],
      ['PENDING', 'COMPLETED', true],
    ]);
  });

  it('ends the same whatever the arrival order', () => {
    const events = [event('created', 1), event('pending', 2), event('completed', 3)];
    expect(fold([events[2], events[0], events[1]])).toEqual(fold(events));
  });

  it('never moves a finished redemption back, and records why', () => {
    const redemption = fold([event('pending', 1), event('completed', 2), event('pending', 3)]);
    expect(redemption?.state).toBe('COMPLETED');
    expect(redemption?.transitions[2]).toMatchObject({
      from: 'COMPLETED',
      to: 'PENDING',
      applied: false,
      ignored_reason: 'a COMPLETED redemption never moves back',
    });
  });

  it('records an impossible jump instead of crashing', () => {
    expect(replayTransitions([
      { state: 'PENDING', at: '2024-01-01T00:00:00Z', eventId: 'a' },
      { state: 'CREATED', at: '2024-01-01T00:01:00Z', eventId: 'b' },
    ])).toEqual({
      state: 'PENDING',
      transitions: [
        { from: null, to: 'PENDING', at: '2024-01-01T00:00:00Z', event_id: 'a', applied: true },
        { from: 'PENDING', to: 'CREATED', at: '2024-01-01T00:01:00Z', event_id: 'b', applied: false, ignored_reason: 'PENDING → CREATED is not a valid transition' },
      ],
    });
  });

  it('rolls back from PENDING', () => {
    expect(fold([event('pending', 1), event('rolledback', 2)])?.state).toBe('ROLLEDBACK');
  });

  it('treats a repeat as a no-op', () => {
    const once = fold([event('pending', 1)]);
    expect(evolveRewardRedemption(once, event('pending', 1))).toBe(once);
  });

  it('flags a transition whose time is the received time, and keeps unreadable points as null', () => {
    const hostile = projectedEvent(
      'customer.reward_redemptions.completed',
      {
        reward_redemption: { id: 'rewr_1', created_at: '0000-01-01T00:00:00Z' },
        reward_assignment: { parameters: { loyalty: { points: JSON.parse('18446744073709551617') } } },
      },
      null,
      'ev_hostile',
      '2024-05-13T10:05:00.000Z',
    );
    const redemption = evolveRewardRedemption(fold([event('created', 1)]), hostile)!;
    expect(redemption).toMatchObject({ state: 'COMPLETED', points: null, pointsUnreadable: true, createdAt: '2024-05-13T10:05:00.000Z', createdAtUntrusted: true });
    expect(redemption.transitions[1]).toEqual({ from: 'CREATED', to: 'COMPLETED', at: '2024-05-13T10:05:00.000Z', event_id: 'ev_hostile', applied: true, at_untrusted: true });
  });
});

describe('evolveRewardRedemption reads the state the payload gives', () => {
  const created = (state: unknown, eventId: string) =>
    projectedEvent(
      'customer.reward_redemptions.created',
      { reward_redemption: { id: 'rewr_s', customer_id: 'cust_1', state, created_at: '2024-05-13T10:00:00Z' } },
      '2024-05-13T10:00:00.000Z',
      eventId,
    );

  it('takes state PENDING from a created event that says so (the official example)', () => {
    const redemption = evolveRewardRedemption(undefined, created('PENDING', 'ev_c'));
    expect(redemption).toMatchObject({ state: 'PENDING', transitions: [{ from: null, to: 'PENDING', applied: true }] });
  });

  it('falls back to the type when the payload gives no state or one it does not know', () => {
    expect(evolveRewardRedemption(undefined, created(undefined, 'ev_n'))?.state).toBe('CREATED');
    expect(evolveRewardRedemption(undefined, created('CANCELED', 'ev_x'))?.state).toBe('CREATED');
    expect(evolveRewardRedemption(undefined, created({ evil: true }, 'ev_o'))?.state).toBe('CREATED');
  });
});

describe('evolveRewardRedemption: state reports a sender cannot grow without bound', () => {
  it('keeps the earliest MAX_REDEMPTION_OBSERVATIONS reports, the same set and state in any arrival order', () => {
    const at = (i: number) => new Date(Date.UTC(2024, 4, 13) + i * 60_000).toISOString();
    const events = Array.from({ length: MAX_REDEMPTION_OBSERVATIONS + 50 }, (_, i) =>
      projectedEvent(
        `customer.reward_redemptions.${i === 0 ? 'created' : i === 1 ? 'completed' : 'pending'}`,
        { reward_redemption: { id: 'rewr_1', customer_id: 'cust_1' } },
        at(i),
        `ev_${String(i).padStart(4, '0')}`,
      ),
    );
    const inOrder = fold(events)!;
    const reversed = fold([...events].reverse())!;
    expect(inOrder.observations).toHaveLength(MAX_REDEMPTION_OBSERVATIONS);
    expect(reversed).toEqual(inOrder);
    expect(inOrder.state).toBe('COMPLETED');
    expect(inOrder.observations[MAX_REDEMPTION_OBSERVATIONS - 1].eventId).toBe(`ev_00${MAX_REDEMPTION_OBSERVATIONS - 1}`);
    // A report seen again once the list is full changes nothing.
    expect(evolveRewardRedemption(inOrder, events[events.length - 1])).toEqual(inOrder);
  });
});
