import { compareStamps, ProjectedEvent } from '../projected-event';
import { obj, str } from '@ledger/voucherify';
import { sourceTimeOf } from '../source-time';

export interface TierRef {
  id: string;
  name: string | null;
}

/** One tier event of a customer in a campaign, as kept in the history. */
export interface TierChange {
  event_type: string;
  from: TierRef | null;
  to: TierRef | null;
  at: string | null;
  event_id: string;
  /** The campaign's name as this event gave it: the newest given one is shown. */
  campaign_name: string | null;
  /** Present when `at` is the received time standing in for a source time that could not be believed. */
  at_untrusted?: true;
}

/** A customer's tier in one loyalty campaign: the current one and how it came to be. */
export interface LoyaltyTierState {
  customerId: string;
  campaignId: string;
  campaignName: string | null;
  /** The tier now (ltr_...): the newest change's `to`; null after `left`. */
  tierId: string | null;
  tierName: string | null;
  /** When the newest change happened. */
  since: string | null;
  sourceTimeUntrusted: boolean;
  /** Every change seen, oldest first by source time (ties by event id): the state is recomputed from it. */
  history: TierChange[];
}

const TIER_EVENT_TYPES = new Set(['joined', 'upgraded', 'downgraded', 'prolonged', 'left'].map((t) => `customer.loyalty.tier.${t}`));

function tierRef(value: unknown): TierRef | null {
  const tier = obj(value);
  const id = str(tier?.id);
  return id ? { id, name: str(tier!.name) ?? null } : null;
}

interface TierEvent {
  customerId: string;
  campaignId: string;
  change: TierChange;
}

/**
 * joined|prolonged|left name `data.loyalty_tier`; upgraded|downgraded name `loyalty_tier_from`
 * and `loyalty_tier_to`. Each carries `data.campaign` and `data.created_at`.
 */
function tierEventOf(event: ProjectedEvent): TierEvent | undefined {
  if (!TIER_EVENT_TYPES.has(event.type)) return undefined;
  const data = event.data;
  const single = tierRef(data.loyalty_tier);
  const customerId = str(obj(data.customer)?.id) ?? str(data.customer_id);
  const campaignId = str(obj(data.campaign)?.id) ?? str(obj(data.loyalty_tier)?.campaign_id) ?? str(obj(data.loyalty_tier_to)?.campaign_id);
  if (!customerId || !campaignId) return undefined;
  const kind = event.type.slice('customer.loyalty.tier.'.length);
  const from = kind === 'upgraded' || kind === 'downgraded' ? tierRef(data.loyalty_tier_from) : kind === 'left' ? single : null;
  const to = kind === 'upgraded' || kind === 'downgraded' ? tierRef(data.loyalty_tier_to) : kind === 'left' ? null : single;
  const time = sourceTimeOf(event, data.created_at);
  const campaign_name = str(obj(data.campaign)?.name) ?? null;
  const change: TierChange = { event_type: event.type, from, to, at: time.at, event_id: event.eventId, campaign_name };
  if (time.untrusted) change.at_untrusted = true;
  return { customerId, campaignId, change };
}

/** The document key: customer and campaign, unambiguous whatever characters the ids hold. */
export const tierKey = (customerId: string, campaignId: string): string => JSON.stringify([customerId, campaignId]);

/** The (customer, campaign) pair of a key tierKey made; undefined for any other text. */
export function tierKeyPair(key: string): [string, string] | undefined {
  try {
    const pair = JSON.parse(key);
    return Array.isArray(pair) && pair.length === 2 && pair.every((p) => typeof p === 'string') ? [pair[0], pair[1]] : undefined;
  } catch {
    return undefined;
  }
}

export function loyaltyTierKeys(event: ProjectedEvent): string[] {
  const tierEvent = tierEventOf(event);
  return tierEvent ? [tierKey(tierEvent.customerId, tierEvent.campaignId)] : [];
}

const stampOf = (c: TierChange) => ({ at: c.at, eventId: c.event_id });

/**
 * The change with the newest source time decides the current tier (a late `joined` cannot undo
 * a later `upgraded`); the history is every change in source-time order, the newest
 * MAX_TIER_HISTORY of them (the same set whatever the arrival order), so a sender cannot grow one
 * row without bound. Order-independent.
 */
export const MAX_TIER_HISTORY = 200;

export function evolveLoyaltyTier(state: LoyaltyTierState | undefined, event: ProjectedEvent): LoyaltyTierState | undefined {
  const tierEvent = tierEventOf(event);
  if (!tierEvent) return state;
  if (state?.history.some((c) => c.event_id === event.eventId)) return state; // a repeat
  const history = [...(state?.history ?? []), tierEvent.change].sort((a, b) => compareStamps(stampOf(a), stampOf(b))).slice(-MAX_TIER_HISTORY);
  if (state && !history.includes(tierEvent.change)) return state; // older than every change kept
  const newest = history[history.length - 1];
  return {
    customerId: tierEvent.customerId,
    campaignId: tierEvent.campaignId,
    campaignName: [...history].reverse().find((c) => c.campaign_name !== null)?.campaign_name ?? null,
    tierId: newest.to?.id ?? null,
    tierName: newest.to?.name ?? null,
    since: newest.at,
    sourceTimeUntrusted: newest.at_untrusted === true,
    history,
  };
}
