import { compareStamps, isNewer, ProjectedEvent, Stamp } from '../projected-event';
import { amount, obj, str } from '@ledger/voucherify';
import { eventTime, givenTimeOf, SourceTime } from '../source-time';

export type RewardRedemptionState = 'CREATED' | 'PENDING' | 'COMPLETED' | 'ROLLEDBACK';

const STATE_BY_TYPE: Record<string, RewardRedemptionState> = {
  'customer.reward_redemptions.created': 'CREATED',
  'customer.reward_redemptions.pending': 'PENDING',
  'customer.reward_redemptions.completed': 'COMPLETED',
  'customer.reward_redemptions.rolledback': 'ROLLEDBACK',
};

const STATES = new Set<string>(['CREATED', 'PENDING', 'COMPLETED', 'ROLLEDBACK']);

/**
 * The state this event reports: the payload's `reward_redemption.state` when it names one (the
 * official `created` example already says PENDING), else the one its type implies. Ordinary
 * redemptions spell ROLLED_BACK; read it as the same state.
 */
export function reportedState(type: string, redemption: Record<string, any>): RewardRedemptionState | undefined {
  const byType = STATE_BY_TYPE[type];
  if (!byType) return undefined;
  const given = redemption.state === 'ROLLED_BACK' ? 'ROLLEDBACK' : redemption.state;
  return typeof given === 'string' && STATES.has(given) ? (given as RewardRedemptionState) : byType;
}

/** Forward moves of the documented life: CREATED → PENDING → COMPLETED, or → ROLLEDBACK. */
const ALLOWED: Record<RewardRedemptionState, RewardRedemptionState[]> = {
  CREATED: ['PENDING', 'COMPLETED', 'ROLLEDBACK'],
  PENDING: ['COMPLETED', 'ROLLEDBACK'],
  COMPLETED: [],
  ROLLEDBACK: [],
};
const FINISHED = new Set<RewardRedemptionState>(['COMPLETED', 'ROLLEDBACK']);

export interface Observation {
  state: RewardRedemptionState;
  at: string | null;
  eventId: string;
  /** Present when `at` is the received time standing in for a source time that could not be believed. */
  untrusted?: true;
}

export interface Transition {
  from: RewardRedemptionState | null;
  to: RewardRedemptionState;
  at: string | null;
  event_id: string;
  applied: boolean;
  /** Why a transition was not applied. */
  ignored_reason?: string;
  /** Present when `at` is the received time standing in for a source time that could not be believed. */
  at_untrusted?: true;
}

export interface RewardRedemption {
  id: string;
  state: RewardRedemptionState | null;
  customerId: string | null;
  voucherId: string | null;
  campaignId: string | null;
  rewardId: string | null;
  rewardName: string | null;
  rewardType: string | null;
  /** Null when not given, or given but unreadable (then pointsUnreadable). */
  points: number | null;
  pointsUnreadable: boolean;
  sourceId: string | null;
  createdAt: string | null;
  /** True when createdAt is the received time standing in for a source time that could not be believed. */
  createdAtUntrusted: boolean;
  updatedAt: string | null;
  transitions: Transition[];
  /** Every state event seen, in source-time order: the state is recomputed from these. */
  observations: Observation[];
  /** Stamp of the event the descriptive fields come from. */
  detailsStamp: Stamp;
}

/**
 * The most state reports a redemption keeps: Voucherify sends one per state (four at most), so a
 * hundred is already a sender repeating itself. The earliest ones by source time are kept (the same
 * set whatever the arrival order); they decide the state, since a finished redemption never moves
 * again and later reports could only add ignored transitions.
 */
export const MAX_REDEMPTION_OBSERVATIONS = 100;

export function rewardRedemptionKeys(event: ProjectedEvent): string[] {
  const id = str(obj(event.data.reward_redemption)?.id);
  return id && STATE_BY_TYPE[event.type] ? [id] : [];
}

/**
 * Replays the state machine over observations sorted by source time, so the result does not
 * depend on arrival order. A finished redemption never moves back; impossible jumps are
 * recorded as ignored.
 */
export function replayTransitions(observations: Observation[]): { state: RewardRedemptionState | null; transitions: Transition[] } {
  let state: RewardRedemptionState | null = null;
  const transitions: Transition[] = [];
  for (const o of observations) {
    if (o.state === state) continue; // a repeat of the state it is in
    const base: Omit<Transition, 'applied'> = { from: state, to: o.state, at: o.at, event_id: o.eventId };
    if (o.untrusted) base.at_untrusted = true;
    if (state === null || ALLOWED[state].includes(o.state)) {
      transitions.push({ ...base, applied: true });
      state = o.state;
    } else {
      const ignored_reason = FINISHED.has(state)
        ? `a ${state} redemption never moves back`
        : `${state} → ${o.state} is not a valid transition`;
      transitions.push({ ...base, applied: false, ignored_reason });
    }
  }
  return { state, transitions };
}

export function evolveRewardRedemption(current: RewardRedemption | undefined, event: ProjectedEvent): RewardRedemption | undefined {
  const rr = obj(event.data.reward_redemption);
  const id = str(rr?.id);
  const state = rr && reportedState(event.type, rr);
  if (!state || !rr || !id) return current;
  if (current?.observations.some((o) => o.eventId === event.eventId)) return current;

  // The event's own time first: it is when this state was reached; the redemption's times only when it has none.
  const time: SourceTime = event.occurredAt !== null ? eventTime(event) : givenTimeOf(event, rr.updated_at, rr.created_at);
  const observation: Observation = { state, at: time.at, eventId: event.eventId };
  if (time.untrusted) observation.untrusted = true;
  // Past the bound the report still counts for the descriptive fields (the newest report's), so
  // that they too are the same whatever the arrival order; the row does not grow.
  const observations = [...(current?.observations ?? []), observation].sort((a, b) => compareStamps(a, b)).slice(0, MAX_REDEMPTION_OBSERVATIONS);
  const replayed = replayTransitions(observations);
  const lastApplied = [...replayed.transitions].reverse().find((t) => t.applied);

  const stamp = { at: observation.at, eventId: event.eventId };
  const takeDetails = !current || isNewer(stamp, current.detailsStamp);
  const assignment = obj(event.data.reward_assignment);
  const reward = obj(event.data.reward);
  const points = amount(obj(obj(assignment?.parameters)?.loyalty)?.points);
  const createdAt = givenTimeOf(event, rr.created_at);
  const details = takeDetails
    ? {
        customerId: str(rr.customer_id) ?? str(obj(event.data.customer)?.id) ?? null,
        voucherId: str(rr.voucher_id) ?? str(obj(event.data.voucher)?.id) ?? null,
        campaignId: str(rr.campaign_id) ?? null,
        rewardId: str(reward?.id) ?? str(assignment?.reward_id) ?? null,
        rewardName: str(reward?.name) ?? null,
        rewardType: str(reward?.type) ?? null,
        points: points ?? null,
        pointsUnreadable: points === null,
        sourceId: str(rr.source_id) ?? str(obj(event.data.source)?.id) ?? null,
        createdAt: createdAt.at,
        createdAtUntrusted: createdAt.untrusted,
        detailsStamp: stamp,
      }
    : current!;
  return {
    id,
    state: replayed.state,
    customerId: details.customerId,
    voucherId: details.voucherId,
    campaignId: details.campaignId,
    rewardId: details.rewardId,
    rewardName: details.rewardName,
    rewardType: details.rewardType,
    points: details.points,
    pointsUnreadable: details.pointsUnreadable,
    sourceId: details.sourceId,
    createdAt: details.createdAt,
    createdAtUntrusted: details.createdAtUntrusted,
    updatedAt: lastApplied?.at ?? null,
    transitions: replayed.transitions,
    observations,
    detailsStamp: details.detailsStamp,
  };
}
