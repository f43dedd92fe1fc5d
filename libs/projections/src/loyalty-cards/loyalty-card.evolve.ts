import { ProjectedEvent, isNewer } from '../projected-event';
import { CardSnapshot, cardSnapshotOf } from './card-snapshot';

/** A card as the read model holds it: the snapshot in force, and which event and time it is from. */
export type LoyaltyCard = Omit<CardSnapshot, 'stamp' | 'change'> & {
  /** Source time of the snapshot in force. */
  updatedAt: string | null;
  /** Event that carried the snapshot in force. */
  lastEventId: string;
};

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
  // The whole snapshot, no field-wise merge with older ones: a merge would depend on arrival order.
  const { stamp, change: _change, ...fields } = snapshot;
  return { ...fields, updatedAt: stamp.at, lastEventId: stamp.eventId };
}
