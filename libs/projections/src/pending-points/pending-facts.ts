import { obj, parsePendingPoints, parseTransaction, parseVoucher, str, time } from '@ledger/voucherify';
import type { ProjectedEvent } from '../projected-event';
import { SourceTime, sourceTimeOf } from '../source-time';

/** What happened to a pending entry (`lopp_...`): the movements of the pending ledger. */
export const PENDING_MOVEMENTS = ['added', 'updated', 'cancelled', 'activated'] as const;
export type PendingMovementKind = (typeof PENDING_MOVEMENTS)[number];

const MOVEMENT_BY_EVENT: Record<string, PendingMovementKind> = {
  'voucher.loyalty_card.pending_points.added': 'added',
  'voucher.loyalty_card.pending_points.updated': 'updated',
  'voucher.loyalty_card.pending_points.canceled': 'cancelled',
  'voucher.loyalty_card.pending_points.activated': 'activated',
};

/**
 * One report of a movement of a card's pending points. Voucherify reports each movement through a
 * `voucher.` webhook and its `customer.` twin; both name the same entry, so a movement is keyed by
 * the entry and what happened to it, and the twins are one movement.
 */
export interface PendingFact {
  voucherId: string;
  campaignId: string | null;
  /** `<lopp id>:added`, `:cancelled`, `:activated`, `:updated:<entry points>:<pending after>`; see movementKeyOf. */
  movementKey: string;
  movement: PendingMovementKind;
  entryId: string | null;
  /** The signed change of the card's pending points, as stated; null when not stated. */
  statedChange: number | null;
  /** The card's pending points after it, as stated; null when not stated. */
  statedAfter: number | null;
  /** The entry's points: after an update, or the points a cancellation or activation moved. */
  entryPoints: number | null;
  activatesAt: string | null;
  orderId: string | null;
  /** The PENDING_POINTS_ACTIVATION transaction, when the report carries it. */
  transactionId: string | null;
  time: SourceTime;
  /** Every webhook that reported the movement (the smallest ids, at most MAX_PENDING_EVENT_IDS). */
  eventIds: string[];
  /** The type of the webhook whose report is kept (the one with the smallest event id). */
  eventType: string;
}

/** As for the points ledger: a sender repeating one movement in endless new events cannot grow its row. */
export const MAX_PENDING_EVENT_IDS = 100;

/**
 * Twins share the key. An update has no id of its own: it is told apart by the entry's points and
 * the card's pending points after it (an update back to an earlier figure, with the card's
 * pending points also back where they were, is taken for the earlier one). A movement that names
 * no entry is its transaction's, else its event's alone.
 */
function movementKeyOf(movement: PendingMovementKind, entryId: string | undefined, entryPoints: number | null, statedAfter: number | null, transactionId: string | null, eventId: string): string {
  if (entryId === undefined) return transactionId ? `tx:${transactionId}` : `event:${eventId}`;
  return movement === 'updated' ? `${entryId}:updated:${entryPoints ?? '?'}:${statedAfter ?? '?'}` : `${entryId}:${movement}`;
}

/** The pending movement an event reports, or null when it reports none (pure). */
export function pendingFactOf(event: ProjectedEvent): PendingFact | null {
  const movement = MOVEMENT_BY_EVENT[event.type];
  if (!movement) return null;
  const pending = parsePendingPoints(event.data);
  const transaction = movement === 'activated' ? parseTransaction(event.data.transaction) : undefined;
  const voucher = parseVoucher(event.data.voucher);
  const voucherId = voucher?.id ?? transaction?.voucherId ?? str(obj(event.data.pending_points)?.voucher_id);
  if (!voucherId) return null;
  // An activation reported by its transaction states the points the card gained: as many left pending.
  const gained = transaction?.balance?.points;
  const statedChange = pending.change ?? (typeof gained === 'number' ? -gained : null);
  const statedAfter = pending.totalAfter ?? null;
  const entryPoints = pending.entryPoints ?? null;
  const transactionId = transaction?.id ?? null;
  return {
    voucherId,
    campaignId: voucher?.campaignId ?? transaction?.campaignId ?? null,
    movementKey: movementKeyOf(movement, pending.entryId, entryPoints, statedAfter, transactionId, event.eventId),
    movement,
    entryId: pending.entryId ?? null,
    statedChange,
    statedAfter,
    entryPoints,
    // A date in the future by nature: shown as given (when it reads as a time), never used to order.
    activatesAt: time(pending.activatesAt),
    orderId: pending.orderId ?? null,
    transactionId,
    time: sourceTimeOf(event, transaction?.createdAt),
    eventIds: [event.eventId],
    eventType: event.type,
  };
}
