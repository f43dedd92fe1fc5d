import type { ProjectedEvent, Stamp } from '../projected-event';
import { int, obj, str, time } from '../payload';

/** A loyalty card as one event shows it (facts file, section 6). */
export interface CardSnapshot {
  voucherId: string;
  code: string | null;
  campaignId: string | null;
  campaignName: string | null;
  customerId: string | null;
  points: number;
  balance: number;
  redeemedPoints: number;
  expiredPoints: number;
  subtractedPoints: number;
  pendingPoints: number;
  stamp: Stamp;
  /** The top-level `balance` object, authoritative for the change this event reports. */
  change: { delta: number; balanceAfter: number; total: number | null } | null;
}

function balanceChange(event: ProjectedEvent, voucherId: string): CardSnapshot['change'] {
  const candidate = obj(event.data.balance) ?? obj(obj(obj(event.data.transaction)?.details)?.balance);
  if (!candidate) return null;
  if (candidate.type !== undefined && candidate.type !== 'loyalty_card') return null;
  const related = str(obj(candidate.related_object)?.id);
  if (related !== undefined && related !== voucherId) return null;
  const delta = int(candidate.points);
  const balanceAfter = int(candidate.balance);
  if (delta === undefined || balanceAfter === undefined) return null;
  return { delta, balanceAfter, total: int(candidate.total) ?? null };
}

// Several read models ask for the same event's card (keys, window, evolve): read it once.
const snapshots = new WeakMap<ProjectedEvent, CardSnapshot | undefined>();

/** The loyalty card in `data.voucher`, if it is one. Pure; memoised per event object. */
export function cardSnapshotOf(event: ProjectedEvent): CardSnapshot | undefined {
  if (snapshots.has(event)) return snapshots.get(event);
  const snapshot = readCardSnapshot(event);
  snapshots.set(event, snapshot);
  return snapshot;
}

function readCardSnapshot(event: ProjectedEvent): CardSnapshot | undefined {
  const voucher = obj(event.data.voucher);
  const voucherId = str(voucher?.id);
  if (!voucher || !voucherId) return undefined;
  const card = obj(voucher.loyalty_card);
  if (voucher.type !== 'LOYALTY_CARD' && !card) return undefined;

  const change = balanceChange(event, voucherId);
  const redemption = obj(voucher.redemption);
  return {
    voucherId,
    code: str(voucher.code) ?? null,
    campaignId: str(voucher.campaign_id) ?? null,
    campaignName: str(voucher.campaign) ?? str(obj(event.data.campaign)?.name) ?? null,
    customerId: str(voucher.holder_id) ?? str(obj(event.data.holder)?.id) ?? str(obj(event.data.customer)?.id) ?? null,
    // Zero fields are often left out of snapshots.
    points: change?.total ?? int(card?.points) ?? 0,
    balance: change?.balanceAfter ?? int(card?.balance) ?? 0,
    redeemedPoints: int(redemption?.redeemed_points) ?? 0,
    expiredPoints: int(card?.expired_points) ?? 0,
    subtractedPoints: int(card?.subtracted_points) ?? 0,
    pendingPoints: int(card?.pending_points) ?? 0,
    stamp: { at: time(voucher.updated_at) ?? event.occurredAt, eventId: event.eventId },
    change,
  };
}
