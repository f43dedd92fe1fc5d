import { ProjectedEvent, isNewer } from '../projected-event';
import { CardSnapshot, cardSnapshotOf } from './card-snapshot';

/** A card's own state: deleted (final), disabled (its newest snapshot says inactive), or active. */
export type CardStatus = 'active' | 'disabled' | 'deleted';

/** A card as the read model holds it: the snapshot in force, and which event and time it is from. */
export type LoyaltyCard = Omit<CardSnapshot, 'stamp' | 'change' | 'timeUntrusted'> & {
  /** Source time of the snapshot in force (the received time when its own could not be believed). */
  updatedAt: string | null;
  /** True when updatedAt is the received time standing in for a source time that could not be believed. */
  sourceTimeUntrusted: boolean;
  /** Event that carried the snapshot in force. */
  lastEventId: string;
  /** Once a voucher.deleted about the card is seen, whatever its time or arrival: a deletion is final. */
  deleted: boolean;
  status: CardStatus;
};

/** Every event that shows a loyalty card in `data.voucher` (any type); others are ignored. */
export function loyaltyCardKeys(event: ProjectedEvent): string[] {
  const snapshot = cardSnapshotOf(event);
  return snapshot ? [snapshot.voucherId] : [];
}

export function cardStatus(card: Pick<LoyaltyCard, 'deleted' | 'active'>): CardStatus {
  if (card.deleted) return 'deleted';
  return card.active === false ? 'disabled' : 'active';
}

/** The newest snapshot by source time wins, never the latest arrival; a deletion is final. */
export function evolveLoyaltyCard(card: LoyaltyCard | undefined, event: ProjectedEvent): LoyaltyCard | undefined {
  const snapshot = cardSnapshotOf(event);
  if (!snapshot) return card;
  const deleted = (card?.deleted ?? false) || event.type === 'voucher.deleted';
  const current = card && { at: card.updatedAt, eventId: card.lastEventId };
  if (!isNewer(snapshot.stamp, current)) {
    return deleted === card!.deleted ? card : { ...card!, deleted, status: cardStatus({ deleted, active: card!.active }) };
  }
  // The whole snapshot, no field-wise merge with older ones: a merge would depend on arrival order.
  const { stamp, change: _change, timeUntrusted, ...fields } = snapshot;
  return {
    ...fields,
    updatedAt: stamp.at,
    sourceTimeUntrusted: timeUntrusted,
    lastEventId: stamp.eventId,
    deleted,
    status: cardStatus({ deleted, active: fields.active }),
  };
}

/** True when one of the card's amounts was given but could not be read (it is null, not 0). */
export function pointsUnreadable(card: Pick<LoyaltyCard, 'points' | 'balance' | 'redeemedPoints' | 'expiredPoints' | 'subtractedPoints' | 'pendingPoints'>): boolean {
  return [card.points, card.balance, card.redeemedPoints, card.expiredPoints, card.subtractedPoints, card.pendingPoints].some((v) => v === null);
}
