import { compareStamps, ProjectedEvent, Stamp } from '../projected-event';
import { earlierTime } from '../source-time';
import { CardSnapshot, cardSnapshotOf } from './card-snapshot';

/** A card's own state: deleted (final), disabled (its newest snapshot says inactive), or active. */
export type CardStatus = 'active' | 'disabled' | 'deleted';

/** A card as the read model holds it: the snapshot in force, and which event and time it is from. */
export type LoyaltyCard = Omit<CardSnapshot, 'stamp' | 'change' | 'timeUntrusted' | 'countersTold'> & {
  /**
   * The snapshot the counters (lifetime points, redeemed, expired, subtracted, pending) come from: the newest that
   * told them, which is not always the newest snapshot (a backfill tells none). Null: not known.
   */
  countersAt: string | null;
  countersEventId: string | null;
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

type Counters = Pick<
  LoyaltyCard,
  'points' | 'redeemedPoints' | 'expiredPoints' | 'subtractedPoints' | 'pendingPoints' | 'nextExpirationDate' | 'nextExpirationPoints' | 'countersAt' | 'countersEventId'
>;

/** The counters in force: the snapshot's when it told them and is newer than the ones the card has. */
function countersAfter(card: LoyaltyCard | undefined, snapshot: CardSnapshot): Counters | null {
  const current: Stamp | null = card?.countersEventId ? { at: card.countersAt, eventId: card.countersEventId } : null;
  if (!snapshot.countersTold || (current !== null && compareStamps(snapshot.stamp, current) <= 0)) return null;
  return {
    points: snapshot.points,
    redeemedPoints: snapshot.redeemedPoints,
    expiredPoints: snapshot.expiredPoints,
    subtractedPoints: snapshot.subtractedPoints,
    pendingPoints: snapshot.pendingPoints,
    nextExpirationDate: snapshot.nextExpirationDate,
    nextExpirationPoints: snapshot.nextExpirationPoints,
    countersAt: snapshot.stamp.at,
    countersEventId: snapshot.stamp.eventId,
  };
}

/** The counters a card has (none yet: zero, as a snapshot that leaves them out means). */
const countersOf = (card: LoyaltyCard | undefined): Counters =>
  card
    ? {
        points: card.points,
        redeemedPoints: card.redeemedPoints,
        expiredPoints: card.expiredPoints,
        subtractedPoints: card.subtractedPoints,
        pendingPoints: card.pendingPoints,
        nextExpirationDate: card.nextExpirationDate,
        nextExpirationPoints: card.nextExpirationPoints,
        countersAt: card.countersAt,
        countersEventId: card.countersEventId,
      }
    : { points: 0, redeemedPoints: 0, expiredPoints: 0, subtractedPoints: 0, pendingPoints: 0, nextExpirationDate: null, nextExpirationPoints: null, countersAt: null, countersEventId: null };

/** evolveLoyaltyCard with the event's card already read (the read model reads it once per batch). */
export function withSnapshot(card: LoyaltyCard | undefined, snapshot: CardSnapshot, event: ProjectedEvent): LoyaltyCard | undefined {
  const deletion = event.type === 'voucher.deleted';
  const deleted = (card?.deleted ?? false) || deletion;
  const deletedAt = deletion ? (card?.deleted ? earlierTime(card.deletedAt, snapshot.stamp.at) : snapshot.stamp.at) : (card?.deletedAt ?? null);
  // Counters go by the newest snapshot that told them, whatever the arrival order.
  const newerCounters = countersAfter(card, snapshot);
  if (!isNewerState(snapshot, card)) {
    // Names a newer snapshot left out (a backfill) come from an older one that told them.
    const names = snapshot.countersTold ? { code: card!.code ?? snapshot.code, campaignName: card!.campaignName ?? snapshot.campaignName, customerId: card!.customerId ?? snapshot.customerId } : null;
    const namesFilled = names !== null && (names.code !== card!.code || names.campaignName !== card!.campaignName || names.customerId !== card!.customerId);
    const same = deleted === card!.deleted && deletedAt === card!.deletedAt && newerCounters === null && !namesFilled;
    return same ? card : { ...card!, ...(namesFilled ? names : {}), ...newerCounters, deleted, deletedAt, status: cardStatus({ deleted, active: card!.active }) };
  }
  // The whole snapshot, no field-wise merge with older ones: a merge would depend on arrival order.
  // A snapshot that tells no counters (a backfill) keeps the card's counters, and the names it leaves out.
  const { stamp, change, timeUntrusted, countersTold, ...fields } = snapshot;
  const told = countersTold
    ? fields
    : { ...fields, code: fields.code ?? card?.code ?? null, campaignName: fields.campaignName ?? card?.campaignName ?? null, customerId: fields.customerId ?? card?.customerId ?? null };
  return {
    ...told,
    ...(newerCounters ?? countersOf(card)),
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
