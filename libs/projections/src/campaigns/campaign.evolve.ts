import { isNewer, ProjectedEvent } from '../projected-event';
import { bool, obj, str } from '@ledger/voucherify';
import { earlierTime, eventTime, SourceTime, sourceTimeOf } from '../source-time';

export type CampaignStatus = 'active' | 'disabled' | 'deleted';

/** A campaign's state as its own events tell it; shown on the campaign's cards and holdings. */
export interface CampaignState {
  id: string;
  name: string | null;
  /** What the newest campaign event says (enabled/disabled by their type, else the campaign's `active`); null when it says nothing. */
  active: boolean | null;
  /** Once a campaign.deleted is seen, whatever its time or arrival: a deletion is final. */
  deleted: boolean;
  /** Source time of the earliest campaign.deleted seen (any arrival order gives the same); null when not deleted. */
  deletedAt: string | null;
  status: CampaignStatus;
  stateAt: string | null;
  /** True when stateAt is the received time standing in for a source time that could not be believed. */
  stateAtUntrusted: boolean;
  stateEventId: string;
}

const CAMPAIGN_EVENT_TYPES = new Set(['campaign.created', 'campaign.updated', 'campaign.enabled', 'campaign.disabled', 'campaign.deleted']);

function campaignOf(event: ProjectedEvent): Record<string, any> | undefined {
  if (!CAMPAIGN_EVENT_TYPES.has(event.type)) return undefined;
  const campaign = obj(event.data.campaign);
  return campaign && str(campaign.id) ? campaign : undefined;
}

export function campaignKeys(event: ProjectedEvent): string[] {
  const campaign = campaignOf(event);
  return campaign ? [campaign.id] : [];
}

export function campaignStatus(state: Pick<CampaignState, 'deleted' | 'active'>): CampaignStatus {
  if (state.deleted) return 'deleted';
  return state.active === false ? 'disabled' : 'active';
}

/**
 * The newest campaign event by source time decides (a campaign.disabled that arrives late does
 * not undo a later campaign.enabled); a deletion is final. Both are order-independent, so a
 * replay builds exactly the same row.
 */
export function evolveCampaign(state: CampaignState | undefined, event: ProjectedEvent): CampaignState | undefined {
  const campaign = campaignOf(event);
  if (!campaign) return state;
  const deletion = event.type === 'campaign.deleted';
  const deleted = (state?.deleted ?? false) || deletion;
  // The event's own time first: it is when the campaign changed; the campaign's updated_at only when it has none.
  const time: SourceTime = event.occurredAt !== null ? eventTime(event) : sourceTimeOf(event, campaign.updated_at);
  const stamp = { at: time.at, eventId: event.eventId };
  const deletedAt = deletion ? (state?.deleted ? earlierTime(state.deletedAt, time.at) : time.at) : (state?.deletedAt ?? null);
  if (state && !isNewer(stamp, { at: state.stateAt, eventId: state.stateEventId })) {
    return deleted === state.deleted && deletedAt === state.deletedAt
      ? state
      : { ...state, deleted, deletedAt, status: campaignStatus({ deleted, active: state.active }) };
  }
  const active = event.type === 'campaign.disabled' ? false : event.type === 'campaign.enabled' ? true : bool(campaign.active) ?? null;
  return {
    id: campaign.id,
    name: str(campaign.name) ?? null,
    active,
    deleted,
    deletedAt,
    status: campaignStatus({ deleted, active }),
    stateAt: stamp.at,
    stateAtUntrusted: time.untrusted,
    stateEventId: stamp.eventId,
  };
}

/**
 * A card's or a voucher's status as shown, with its campaign's folded in: deleted (the voucher's
 * or its campaign's: deleting a campaign deletes its vouchers in Voucherify), then disabled (a
 * disabled campaign's vouchers cannot be used), then the voucher's own status.
 */
export function withCampaignStatus<S extends string>(own: S, campaign: CampaignStatus | null | undefined): S | CampaignStatus {
  if (own === 'deleted' || campaign === 'deleted') return 'deleted';
  return campaign === 'disabled' ? 'disabled' : own;
}

/** SQL: the status of the campaign `campaignIdColumn` names, or null when its events were never seen. */
export const campaignStatusSql = (campaignIdColumn: string) => `(SELECT status FROM campaigns WHERE campaigns.id = ${campaignIdColumn})`;
