import { ProjectedEvent, isNewer } from '../projected-event';
import { cardSnapshotOf } from './card-snapshot';

export interface LoyaltyCard {
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
  /** Source time of the snapshot in force. */
  updatedAt: string | null;
  /** Event that carried the snapshot in force. */
  lastEventId: string;
}

/** Every event that shows a loyalty card in `data.voucher` (any type); others are ignored. */
export function loyaltyCardKeys(event: ProjectedEvent): string[] {
  const snapshot = cardSnapshotOf(event);
  return snapshot ? [snapshot.voucherId] : [];
}

/** The newest snapshot by source time wins, never the latest arrival. */
export function evolveLoyaltyCard(card: LoyaltyCard | undefined, event: ProjectedEvent): LoyaltyCard | undefined {
  const snapshot = cardSnapshotOf(event);
  if (!snapshot) return card;
  const current = card && { at: card.updatedAt, eventId: card.lastEventId };
  if (!isNewer(snapshot.stamp, current)) return card;
  return {
    voucherId: snapshot.voucherId,
    // Whole snapshot, no field-wise merge with older ones: a merge would depend on arrival order.
    code: snapshot.code,
    campaignId: snapshot.campaignId,
    campaignName: snapshot.campaignName,
    customerId: snapshot.customerId,
    points: snapshot.points,
    balance: snapshot.balance,
    redeemedPoints: snapshot.redeemedPoints,
    expiredPoints: snapshot.expiredPoints,
    subtractedPoints: snapshot.subtractedPoints,
    pendingPoints: snapshot.pendingPoints,
    updatedAt: snapshot.stamp.at,
    lastEventId: snapshot.stamp.eventId,
  };
}
