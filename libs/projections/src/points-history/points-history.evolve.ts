import { compareStamps, ProjectedEvent } from '../projected-event';
import { obj, str } from '../payload';
import { cardSnapshotOf } from '../loyalty-cards/card-snapshot';

export interface PointsHistoryEntry {
  voucherId: string;
  eventId: string;
  customerId: string | null;
  eventType: string;
  occurredAt: string | null;
  /** True when occurredAt is the received time standing in for a source time that could not be believed. */
  sourceTimeUntrusted: boolean;
  /** Signed change of the available balance; null when it cannot be known (an amount could not be read). */
  delta: number | null;
  /** Null when the event's balance could not be read. */
  balanceAfter: number | null;
  /** True when the payload's `balance` object stated the change; else derived from snapshots. */
  explicitDelta: boolean;
  reason: string;
  relatedId: string | null;
}

/**
 * The part of one card's history a batch can touch, oldest first by source time: the entries from
 * the batch's oldest event on, and the balance just before them (`baseline`). A card with years of
 * history costs only its tail per batch.
 */
export interface CardHistory {
  voucherId: string;
  entries: PointsHistoryEntry[];
  /** balance_after of the last entry before the window (0 when the window starts the history, null when unreadable). */
  baseline?: number | null;
}

const REASONS: Record<string, string> = {
  'voucher.loyalty_card.points_added': 'accrual',
  'voucher.loyalty_card.points_expired': 'expiry',
  'voucher.loyalty_card.pending_points.added': 'pending_points_added',
  'voucher.loyalty_card.pending_points.updated': 'pending_points_updated',
  'voucher.loyalty_card.pending_points.canceled': 'pending_points_canceled',
  'voucher.loyalty_card.pending_points.activated': 'pending_points_activated',
  'customer.reward_redemptions.created': 'reward_redemption',
  'customer.reward_redemptions.pending': 'reward_redemption',
  'customer.reward_redemptions.completed': 'reward_redemption',
  'customer.reward_redemptions.rolledback': 'reward_redemption_rollback',
  'redemption.succeeded': 'redemption',
  'redemption.rollback.succeeded': 'redemption_rollback',
  'customer.rewarded': 'reward',
  'customer.rewarded.loyalty_points': 'reward',
  'voucher.published': 'publication',
  'publication.succeeded': 'publication',
};

function reasonOf(event: ProjectedEvent): { reason: string; relatedId: string | null } {
  const data = event.data;
  const transaction = obj(data.transaction);
  if (event.type === 'voucher.loyalty_card.transaction.created' && str(transaction?.type)) {
    return { reason: transaction!.type.toLowerCase(), relatedId: str(transaction!.id) ?? null };
  }
  const relatedId =
    str(obj(data.reward_redemption)?.id) ??
    str(obj(data.redemption)?.id) ??
    str(obj(data.publication)?.id) ??
    str(transaction?.id) ??
    null;
  return { reason: REASONS[event.type] ?? 'card_update', relatedId };
}

export function pointsHistoryKeys(event: ProjectedEvent): string[] {
  const snapshot = cardSnapshotOf(event);
  return snapshot ? [snapshot.voucherId] : [];
}

/**
 * Recomputes derived deltas in source-time order: a stated change wins; otherwise the delta is
 * the difference from the previous entry's balance. Inserting a late event in the middle thus
 * fixes its neighbour's delta too.
 */
export function withDerivedDeltas(entries: PointsHistoryEntry[], baseline: number | null = 0): PointsHistoryEntry[] {
  let previousBalance = baseline;
  return entries.map((entry) => {
    const delta = entry.explicitDelta ? entry.delta : difference(entry.balanceAfter, previousBalance);
    previousBalance = entry.balanceAfter;
    return delta === entry.delta ? entry : { ...entry, delta };
  });
}

/** after − before, or null when either is unknown or the result is not a safe integer (never a rounded delta). */
function difference(after: number | null, before: number | null): number | null {
  if (after === null || before === null) return null;
  const delta = after - before;
  return Number.isSafeInteger(delta) ? delta : null;
}

export function evolvePointsHistory(history: CardHistory | undefined, event: ProjectedEvent): CardHistory | undefined {
  const snapshot = cardSnapshotOf(event);
  if (!snapshot) return history;
  const entries = history?.entries ?? [];
  if (entries.some((e) => e.eventId === event.eventId)) return history; // a repeat is a no-op

  const { reason, relatedId } = reasonOf(event);
  const entry: PointsHistoryEntry = {
    voucherId: snapshot.voucherId,
    eventId: event.eventId,
    customerId: snapshot.customerId,
    eventType: event.type,
    occurredAt: snapshot.stamp.at,
    sourceTimeUntrusted: snapshot.timeUntrusted,
    delta: snapshot.change ? snapshot.change.delta : 0,
    balanceAfter: snapshot.balance,
    explicitDelta: snapshot.change !== null,
    reason,
    relatedId,
  };
  const stampOf = (e: PointsHistoryEntry) => ({ at: e.occurredAt, eventId: e.eventId });
  const sorted = [...entries, entry].sort((a, b) => compareStamps(stampOf(a), stampOf(b)));
  return { voucherId: snapshot.voucherId, entries: withDerivedDeltas(sorted, history?.baseline), baseline: history?.baseline };
}
