import { compareStamps, ProjectedEvent, Stamp } from '../projected-event';
import { obj, str } from '@ledger/voucherify';
import { sourceTimeOf } from '../source-time';

/**
 * A voucher held through a holder assignment: `customer.holder.assignment.created` makes the
 * customer in `data.holder` (a redeemable holder, `rh_...`) a holder of the voucher in a role
 * (`REFEREE`, ...); `...deleted` ends it. Keyed by the holder id, so a referral code can be held
 * by its owner and by each of its referees at once.
 */
export interface HolderAssignment {
  holderId: string;
  voucherId: string | null;
  customerId: string | null;
  holderRole: string | null;
  code: string | null;
  type: string | null;
  campaignId: string | null;
  campaignName: string | null;
  assignedAt: string | null;
  /** True when assignedAt is the received time standing in for a source time that could not be believed. */
  assignedAtUntrusted: boolean;
  /** The created event the fields come from; '' while only the deletion has been seen. */
  assignedEventId: string;
  /** Final: a created that arrives after the deleted cannot bring the holding back. */
  removed: boolean;
  removedEventId: string | null;
}

const CREATED = new Set(['customer.holder.assignment.created', 'holder.assignment.created']);
const DELETED = new Set(['customer.holder.assignment.deleted', 'holder.assignment.deleted']);

export const isHolderAssignment = (event: ProjectedEvent): boolean => CREATED.has(event.type) || DELETED.has(event.type);

function holderOf(event: ProjectedEvent): Record<string, any> | undefined {
  if (!isHolderAssignment(event)) return undefined;
  const holder = obj(event.data.holder);
  return holder && str(holder.id) ? holder : undefined;
}

export function holderAssignmentKeys(event: ProjectedEvent): string[] {
  const holder = holderOf(event);
  return holder ? [holder.id] : [];
}

/** The assignment as one event tells it. */
function assignmentOf(event: ProjectedEvent, holder: Record<string, any>): Omit<HolderAssignment, 'removed' | 'removedEventId'> {
  const voucher = obj(event.data.voucher);
  const voucherId = str(holder.redeemable_id) ?? str(voucher?.id) ?? null;
  // data.voucher describes the assigned voucher only when it is that voucher.
  const same = voucher && str(voucher.id) === voucherId ? voucher : undefined;
  const time = sourceTimeOf(event, holder.created_at);
  return {
    holderId: holder.id,
    voucherId,
    customerId: str(holder.customer_id) ?? str(obj(event.data.customer)?.id) ?? null,
    holderRole: str(holder.holder_role) ?? null,
    code: str(same?.code) ?? null,
    type: str(same?.type) ?? str(holder.voucher_type) ?? null,
    campaignId: str(holder.campaign_id) ?? str(same?.campaign_id) ?? null,
    campaignName: str(same?.campaign) ?? str(obj(event.data.campaign)?.name) ?? null,
    assignedAt: time.at,
    assignedAtUntrusted: time.untrusted,
    assignedEventId: event.eventId,
  };
}

const stampOf = (a: Pick<HolderAssignment, 'assignedAt' | 'assignedEventId'>): Stamp => ({ at: a.assignedAt, eventId: a.assignedEventId });

/**
 * Fields from the earliest created event (a deletion's own fields only until one is seen); the
 * deletion is final. Both hold whatever the order of arrival.
 */
export function evolveHolderAssignment(current: HolderAssignment | undefined, event: ProjectedEvent): HolderAssignment | undefined {
  const holder = holderOf(event);
  if (!holder) return current;
  const told = assignmentOf(event, holder);
  if (DELETED.has(event.type)) {
    // The smallest deleting event id, so that two deletions leave the same row in either order.
    const removedEventId = current?.removedEventId && current.removedEventId < event.eventId ? current.removedEventId : event.eventId;
    // Until a created is seen, the fields come from the deletion that removedEventId names.
    if (!current || (current.assignedEventId === '' && removedEventId === event.eventId)) return { ...told, assignedEventId: '', removed: true, removedEventId };
    return current.removed && current.removedEventId === removedEventId ? current : { ...current, removed: true, removedEventId };
  }
  const earlier = !current || current.assignedEventId === '' || compareStamps(stampOf(told), stampOf(current)) < 0;
  if (!earlier) return current;
  return { ...told, removed: current?.removed ?? false, removedEventId: current?.removedEventId ?? null };
}
