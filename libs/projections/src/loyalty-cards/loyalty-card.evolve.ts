import { compareStamps, ProjectedEvent } from '../projected-event';
import { earlierTime } from '../source-time';
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
  /** The signed change that event stated (its `balance` object or transaction), if it stated one. */
  changePoints: number | null;
  /** Once a voucher.deleted about the card is seen, whatever its time or arrival: a deletion is final. */
  deleted: boolean;
  /**
   * Source time of the earliest voucher.deleted seen (the smallest, so any arrival order gives the
   * same): from then on the card counts in no balance `as_of` that time. Null when not deleted.
   */
  deletedAt: string | null;
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

/** The balance a state continues from, when the event that gave it stated its change. */
const balanceBefore = (balance: number | null, change: number | null | undefined) =>
  balance !== null && change !== null && change !== undefined ? balance - change : undefined;

/**
 * Which of two states of one card at the same source time came later: the one whose stated change
 * starts from the other's balance (a publication at 0/0 and a +900 reward dated to the same
 * microsecond: the reward is the newer). 0 when the chain cannot tell (then the event id does).
 */
function chainOrder(candidate: CardSnapshot, card: LoyaltyCard): number {
  const candidateFollows = balanceBefore(candidate.balance, candidate.change?.delta) === card.balance;
  const cardFollows = balanceBefore(card.balance, card.changePoints) === candidate.balance;
  return candidateFollows === cardFollows ? 0 : candidateFollows ? 1 : -1;
}

function isNewerState(snapshot: CardSnapshot, card: LoyaltyCard | undefined): boolean {
  if (!card) return true;
  const current = { at: card.updatedAt, eventId: card.lastEventId };
  const sameTime = snapshot.stamp.at === current.at;
  const byChain = sameTime ? chainOrder(snapshot, card) : 0;
  return byChain !== 0 ? byChain > 0 : compareStamps(snapshot.stamp, current) > 0;
}

/**
 * The newest snapshot by source time wins, never the latest arrival; at the same time the balance
 * chain decides, then the event id; a deletion is final.
 */
export function evolveLoyaltyCard(card: LoyaltyCard | undefined, event: ProjectedEvent): LoyaltyCard | undefined {
  const snapshot = cardSnapshotOf(event);
  return snapshot ? withSnapshot(card, snapshot, event) : card;
}

/** evolveLoyaltyCard with the event's card already read (the read model reads it once per batch). */
export function withSnapshot(card: LoyaltyCard | undefined, snapshot: CardSnapshot, event: ProjectedEvent): LoyaltyCard | undefined {
  const deletion = event.type === 'voucher.deleted';
  const deleted = (card?.deleted ?? false) || deletion;
  const deletedAt = deletion ? (card?.deleted ? earlierTime(card.deletedAt, snapshot.stamp.at) : snapshot.stamp.at) : (card?.deletedAt ?? null);
  if (!isNewerState(snapshot, card)) {
    return deleted === card!.deleted && deletedAt === card!.deletedAt ? card : { ...card!, deleted, deletedAt, status: cardStatus({ deleted, active: card!.active }) };
  }
  // The whole snapshot, no field-wise merge with older ones: a merge would depend on arrival order.
  const { stamp, change, timeUntrusted, ...fields } = snapshot;
  return {
    ...fields,
    updatedAt: stamp.at,
    sourceTimeUntrusted: timeUntrusted,
    lastEventId: stamp.eventId,
    changePoints: change?.delta ?? null,
    deleted,
    deletedAt,
    status: cardStatus({ deleted, active: fields.active }),
  };
}

/** True when one of the card's amounts was given but could not be read (it is null, not 0). */
export function pointsUnreadable(card: Pick<LoyaltyCard, 'points' | 'balance' | 'redeemedPoints' | 'expiredPoints' | 'subtractedPoints' | 'pendingPoints'>): boolean {
  return [card.points, card.balance, card.redeemedPoints, card.expiredPoints, card.subtractedPoints, card.pendingPoints].some((v) => v === null);
}
