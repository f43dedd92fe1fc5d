import type { ProjectedEvent } from '../projected-event';
import { isLoyaltyCard, obj, parseBalance, parsePendingPoints, parseTransaction, parseLenientTimestamp, parseVoucher, str, VoucherifyTransaction } from '@ledger/voucherify';
import { sourceTimeOf, SourceTime } from '../source-time';

/**
 * What one event tells the ledger about one card. Voucherify reports a loyalty-card transaction
 * (`vtx_...`) through several webhooks (docs/voucherify.md, section 8): each is a report of the same
 * transaction, and the ledger keeps one entry per transaction id whichever reports arrive.
 */
export interface TransactionFact {
  transactionId: string;
  voucherId: string;
  campaignId: string | null;
  type: string;
  unit: 'points' | 'credits';
  /** Signed change; null when given but unreadable (not a safe integer). */
  points: number | null;
  /** The balance after the change, as Voucherify stated it; null when unreadable. */
  balanceAfter: number | null;
  time: SourceTime;
  reason: string | null;
  related: Record<string, string>;
  eventIds: string[];
  /** The type of the webhook whose report is kept (the one with the smallest event id). */
  eventType: string;
  /**
   * An expiry's due date: the latest `expires_at` of the buckets its `points_expired` report
   * carries (the transaction is dated when Voucherify's expiry job ran, often the next day); null
   * when no report told it.
   */
  dueAt: string | null;
}

/**
 * A fact about a card's balance at a time that names no transaction: a snapshot of the card
 * (`data.voucher.loyalty_card`), or a stated change (`balance` object) with no transaction id,
 * such as `customer.rewarded.loyalty_points`.
 */
export interface ObservationFact {
  eventId: string;
  eventType: string;
  voucherId: string;
  campaignId: string | null;
  time: SourceTime;
  /** The balance the card had at that time; null when unreadable. */
  balance: number | null;
  /** A stated change: the signed points of the change that led to `balance`. */
  delta: number | null | undefined;
  pendingPoints: number | null | undefined;
  unit: 'points' | 'credits';
  /**
   * A reward paid in points (`customer.rewarded`): the redemption that paid it. The
   * POINTS_REDEMPTION transaction of the same redemption, when it arrives too, is the same change.
   */
  redemptionId: string | null;
  /**
   * An activation of pending points reported without its transaction (the `customer.` twin of
   * `pending_points.activated`): the pending entry activated. The PENDING_POINTS_ACTIVATION
   * transaction of the same entry, when it arrives too, is the same change.
   */
  pendingEntryId: string | null;
}

/**
 * A deletion: of one card (`voucher.deleted`), or of a campaign and so of every card in it
 * (`campaign.deleted`, voucherId null). Final in Voucherify: the card's points are gone, and the
 * ledger writes its balance off at that time (docs/voucherify.md, section 9). Dated as the loyalty
 * cards and campaigns read models date it, so the as-of answers and the ledger agree.
 */
export interface DeletionFact {
  eventId: string;
  voucherId: string | null;
  campaignId: string | null;
  time: SourceTime;
}

export interface LedgerFacts {
  transactions: TransactionFact[];
  observations: ObservationFact[];
  deletions: DeletionFact[];
}

const NONE: LedgerFacts = { transactions: [], observations: [], deletions: [] };

/** Ids the entry names besides its card, under the names the API answers with. */
function relatedIds(transaction: VoucherifyTransaction): Record<string, string> {
  const details = transaction.details;
  const related: Record<string, string> = {};
  const put = (name: string, value: unknown) => {
    const id = str(value);
    if (id) related[name] = id;
  };
  put('order_id', obj(details.order)?.id);
  put('redemption_id', obj(details.redemption)?.id);
  put('rollback_id', obj(details.rollback)?.id);
  put('reward_id', obj(details.reward)?.id);
  put('reward_redemption_id', obj(details.reward_redemption)?.id);
  put('earning_rule_id', obj(details.earning_rule)?.id);
  // The custom event behind an accrual (details.event.id: `evcus_...`), as the order is by order_id.
  put('event_id', obj(details.event)?.id);
  put('segment_id', obj(details.segment)?.id);
  put('loyalty_tier_id', obj(details.loyalty_tier)?.id);
  put('source_voucher_id', obj(details.source_voucher)?.id);
  put('destination_voucher_id', obj(details.destination_voucher)?.id);
  put('related_transaction_id', transaction.relatedTransactionId);
  put('source_id', transaction.sourceId);
  return related;
}

/** What the payload names as the reason: its own text, else the object that caused the change. */
function reasonOf(transaction: VoucherifyTransaction): string | null {
  const details = transaction.details;
  const named = (kind: string, value: unknown) => {
    const o = obj(value);
    // An earning rule's name is its `source.banner`, as the shop wrote it (docs/voucherify.md, section 9).
    const label = str(o?.name) ?? str(obj(o?.source)?.banner) ?? str(o?.id);
    return label ? `${kind}: ${label}` : undefined;
  };
  return (
    transaction.reason ??
    named('earning rule', details.earning_rule) ??
    named('reward', details.reward) ??
    named('order', details.order) ??
    named('redemption', details.redemption) ??
    named('expiration', details.points_expiration ?? details.event) ??
    named('from', details.source_voucher) ??
    named('to', details.destination_voucher) ??
    null
  );
}

function transactionFact(event: ProjectedEvent, transaction: VoucherifyTransaction): TransactionFact | undefined {
  // The transaction names its card and campaign; `data.voucher` is read only when it does not.
  const voucher = transaction.voucherId && transaction.campaignId ? undefined : parseVoucher(event.data.voucher);
  const voucherId = transaction.voucherId ?? voucher?.id;
  if (!voucherId) return undefined;
  const stated = transaction.balance ?? parseBalance(event.data.balance);
  const type = transaction.type ?? 'UNKNOWN';
  const credits = type.startsWith('CREDITS_') || (stated?.amount !== undefined && stated.points === undefined);
  const change = credits ? stated?.amount : stated?.points;
  const after = stated?.balance;
  const time = sourceTimeOf(event, transaction.createdAt);
  return {
    transactionId: transaction.id,
    voucherId,
    campaignId: transaction.campaignId ?? voucher?.campaignId ?? null,
    type,
    unit: credits ? 'credits' : 'points',
    points: change === undefined ? null : change,
    balanceAfter: after === undefined ? null : after,
    time,
    reason: reasonOf(transaction),
    related: type === 'PENDING_POINTS_ACTIVATION' ? withPendingEntry(relatedIds(transaction), event, transaction) : relatedIds(transaction),
    eventIds: [event.eventId],
    eventType: event.type,
    dueAt: type === 'POINTS_EXPIRATION' ? dueDateOf(event, time.untrusted ? null : time.at) : null,
  };
}

/** The pending entry an activation moved (`data.pending_points`, else the transaction's details), kept as `pending_entry_id`. */
function withPendingEntry(related: Record<string, string>, event: ProjectedEvent, transaction: VoucherifyTransaction): Record<string, string> {
  const entryId = parsePendingPoints(event.data).entryId ?? str(obj(transaction.details.pending_points)?.id);
  return entryId ? { ...related, pending_entry_id: entryId } : related;
}

/**
 * The points an activation reported without its transaction gave the card: as many as left
 * pending (`voucher_pending_points_balance.points`, negative), with the entry it activated.
 */
function activationWithoutTransaction(event: ProjectedEvent): { points: number; entryId: string | null } | undefined {
  if (event.type !== 'voucher.loyalty_card.pending_points.activated') return undefined;
  const pending = parsePendingPoints(event.data);
  const points = pending.change !== undefined && pending.change < 0 ? -pending.change : undefined;
  return points === undefined ? undefined : { points, entryId: pending.entryId ?? null };
}

/**
 * When expiring points were due: the latest `expires_at` of `data.buckets[]` (docs/voucherify.md,
 * section 9); a date alone is that day from 00:00 UTC. Points cannot be due after they were taken
 * off: a due date after the transaction's own time, or one that cannot be read, is left out.
 */
function dueDateOf(event: ProjectedEvent, bookedAt: string | null): string | null {
  const buckets = Array.isArray(event.data.buckets) ? event.data.buckets : [];
  let latest: number | null = null;
  for (const bucket of buckets.slice(0, 1000)) {
    const due = parseLenientTimestamp(obj(bucket)?.expires_at)?.getTime();
    if (due !== undefined && (latest === null || due > latest)) latest = due;
  }
  if (latest === null || (bookedAt !== null && latest > Date.parse(bookedAt))) return null;
  return new Date(latest).toISOString();
}

/**
 * The points a reward cost, when `customer.rewarded` reports a reward paid with this card
 * (docs/voucherify.md, section 9): `redemption.amount` is what the card paid, and its `balance` is
 * null. Not a safe positive integer: unreadable (null).
 */
function rewardPaidInPoints(event: ProjectedEvent, voucherId: string): { points: number | null; redemptionId: string | null } | undefined {
  if (event.type !== 'customer.rewarded') return undefined;
  const redemption = obj(event.data.redemption);
  if (!redemption || str(obj(redemption.voucher)?.id) !== voucherId || redemption.amount === undefined || redemption.amount === null) return undefined;
  const paid = redemption.amount;
  return { points: typeof paid === 'number' && Number.isSafeInteger(paid) && paid > 0 ? -paid : null, redemptionId: str(redemption.id) ?? null };
}

function observationFact(event: ProjectedEvent): ObservationFact | undefined {
  const voucher = parseVoucher(event.data.voucher);
  if (!voucher) return undefined;
  const card = voucher.loyaltyCard;
  const gift = voucher.gift;
  const stated = parseBalance(event.data.balance);
  const statedChange = stated && (stated.relatedObjectId === undefined || stated.relatedObjectId === voucher.id) ? stated : undefined;
  const activation = statedChange ? undefined : activationWithoutTransaction(event);
  if (!card && !gift && !statedChange && !activation) return undefined;
  const credits = !card && (gift !== undefined || statedChange?.type === 'gift_voucher');
  const reward = card && !statedChange ? rewardPaidInPoints(event, voucher.id) : undefined;
  // An activation without a snapshot of the card states its change only: the balance after is unknown (null).
  const balance = statedChange ? statedChange.balance : activation && !card ? null : (credits ? gift : card)?.balance;
  const delta = statedChange ? (credits ? statedChange.amount : statedChange.points) : reward ? reward.points : activation?.points;
  return {
    eventId: event.eventId,
    eventType: event.type,
    voucherId: voucher.id,
    campaignId: voucher.campaignId ?? null,
    time: sourceTimeOf(event, voucher.updatedAt),
    // Zero fields are often left out of a snapshot: a card without `balance` is at 0.
    balance: balance === undefined ? (statedChange ? null : 0) : balance,
    delta: statedChange || reward || activation ? (delta === undefined ? null : delta) : undefined,
    pendingPoints: card ? card.pendingPoints ?? 0 : undefined,
    unit: credits ? 'credits' : 'points',
    redemptionId: reward?.redemptionId ?? null,
    pendingEntryId: activation?.entryId ?? null,
  };
}

/**
 * The ledger facts of one event (pure: the read model reads them once per event and batch). An event that carries a
 * transaction is a report of that transaction, and its snapshot of the card is not used: a
 * snapshot may lag the change it is sent with (docs/voucherify.md, section 6), while the transaction's
 * figures are the change itself.
 */
export function ledgerFactsOf(event: ProjectedEvent): LedgerFacts {
  // An event that carries a transaction object is a report of it, even one this cannot read.
  if (obj(event.data.transaction)) {
    const transaction = parseTransaction(event.data.transaction);
    const fact = transaction && transactionFact(event, transaction);
    return fact ? { transactions: [fact], observations: [], deletions: [] } : NONE;
  }
  const observation = observationFact(event);
  const deletion = deletionFact(event);
  if (!observation && !deletion) return NONE;
  return { transactions: [], observations: observation ? [observation] : [], deletions: deletion ? [deletion] : [] };
}

function deletionFact(event: ProjectedEvent): DeletionFact | undefined {
  if (event.type === 'voucher.deleted') {
    const voucher = parseVoucher(event.data.voucher);
    if (!voucher || !(isLoyaltyCard(voucher) || voucher.gift)) return undefined;
    return { eventId: event.eventId, voucherId: voucher.id, campaignId: voucher.campaignId ?? null, time: sourceTimeOf(event, voucher.updatedAt) };
  }
  if (event.type === 'campaign.deleted') {
    const campaign = obj(event.data.campaign);
    const id = str(campaign?.id);
    if (!id) return undefined;
    // The event's own time first, as the campaigns read model dates it.
    const time: SourceTime = event.occurredAt !== null ? { at: event.occurredAt, untrusted: event.occurredAtUntrusted } : sourceTimeOf(event, campaign?.updated_at);
    return { eventId: event.eventId, voucherId: null, campaignId: id, time };
  }
  return undefined;
}
