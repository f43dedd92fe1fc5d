import type { ProjectedEvent } from '../projected-event';
import { amount, obj, str } from '../payload';
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
}

export interface LedgerFacts {
  transactions: TransactionFact[];
  observations: ObservationFact[];
}

const NONE: LedgerFacts = { transactions: [], observations: [] };

/** Ids the entry names besides its card, under the names the API answers with. */
function relatedIds(transaction: Record<string, any>, details: Record<string, any>): Record<string, string> {
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
  put('segment_id', obj(details.segment)?.id);
  put('loyalty_tier_id', obj(details.loyalty_tier)?.id);
  put('source_voucher_id', obj(details.source_voucher)?.id);
  put('destination_voucher_id', obj(details.destination_voucher)?.id);
  put('related_transaction_id', transaction.related_transaction_id);
  put('source_id', transaction.source_id);
  return related;
}

/** What the payload names as the reason: its own text, else the object that caused the change. */
function reasonOf(transaction: Record<string, any>, details: Record<string, any>): string | null {
  const named = (kind: string, value: unknown) => {
    const o = obj(value);
    const label = str(o?.name) ?? str(o?.id);
    return label ? `${kind}: ${label}` : undefined;
  };
  return (
    str(transaction.reason) ??
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

function transactionFact(event: ProjectedEvent, transaction: Record<string, any>): TransactionFact | undefined {
  const transactionId = str(transaction.id);
  const voucherId = str(transaction.voucher_id) ?? str(obj(event.data.voucher)?.id);
  if (!transactionId || !voucherId) return undefined;
  const details = obj(transaction.details) ?? {};
  const stated = obj(details.balance) ?? obj(event.data.balance) ?? {};
  const type = str(transaction.type) ?? 'UNKNOWN';
  const credits = type.startsWith('CREDITS_') || (stated.amount !== undefined && stated.points === undefined);
  const change = amount(credits ? stated.amount : stated.points);
  const after = amount(stated.balance);
  return {
    transactionId,
    voucherId,
    campaignId: str(transaction.campaign_id) ?? str(obj(event.data.voucher)?.campaign_id) ?? null,
    type,
    unit: credits ? 'credits' : 'points',
    points: change === undefined ? null : change,
    balanceAfter: after === undefined ? null : after,
    time: sourceTimeOf(event, transaction.created_at),
    reason: reasonOf(transaction, details),
    related: relatedIds(transaction, details),
    eventIds: [event.eventId],
    eventType: event.type,
  };
}

function observationFact(event: ProjectedEvent): ObservationFact | undefined {
  const voucher = obj(event.data.voucher);
  const voucherId = str(voucher?.id);
  if (!voucher || !voucherId) return undefined;
  const card = obj(voucher.loyalty_card);
  const gift = obj(voucher.gift);
  const stated = obj(event.data.balance);
  const statedFor = str(obj(stated?.related_object)?.id);
  const statedChange = stated && (statedFor === undefined || statedFor === voucherId) ? stated : undefined;
  if (!card && !gift && !statedChange) return undefined;
  const credits = !card && (gift !== undefined || statedChange?.type === 'gift_voucher');
  const balance = statedChange ? amount(statedChange.balance) : amount((credits ? gift : card)?.balance);
  const delta = statedChange ? amount(credits ? statedChange.amount : statedChange.points) : undefined;
  return {
    eventId: event.eventId,
    eventType: event.type,
    voucherId,
    campaignId: str(voucher.campaign_id) ?? null,
    time: sourceTimeOf(event, voucher.updated_at),
    // Zero fields are often left out of a snapshot: a card without `balance` is at 0.
    balance: balance === undefined ? (statedChange ? null : 0) : balance,
    delta: statedChange ? (delta === undefined ? null : delta) : undefined,
    pendingPoints: card ? amount(card.pending_points) ?? 0 : undefined,
    unit: credits ? 'credits' : 'points',
  };
}

/**
 * The ledger facts of one event (pure: the read model reads them once per event and batch). An event that carries a
 * transaction is a report of that transaction, and its snapshot of the card is not used: a
 * snapshot may lag the change it is sent with (docs/voucherify.md, section 6), while the transaction's
 * figures are the change itself.
 */
export function ledgerFactsOf(event: ProjectedEvent): LedgerFacts {
  const transaction = obj(event.data.transaction);
  if (transaction) {
    const fact = transactionFact(event, transaction);
    return fact ? { transactions: [fact], observations: [] } : NONE;
  }
  const observation = observationFact(event);
  return observation ? { transactions: [], observations: [observation] } : NONE;
}
