import type { ProjectedEvent, Stamp } from '../projected-event';
import { amount, amountOrZero, bool, customerHolder, obj, str } from '../payload';
import { sourceTimeOf } from '../source-time';

/**
 * A loyalty card as one event shows it (docs/voucherify.md, section 6). An amount is null when the event
 * gave one that is not a safe integer (see `amount`): never rounded, never read as 0.
 */
export interface CardSnapshot {
  voucherId: string;
  code: string | null;
  campaignId: string | null;
  campaignName: string | null;
  customerId: string | null;
  points: number | null;
  balance: number | null;
  redeemedPoints: number | null;
  expiredPoints: number | null;
  subtractedPoints: number | null;
  pendingPoints: number | null;
  /** The voucher's `active` as this event shows it (voucher.disabled / voucher.enabled say so by their type); null when not given. */
  active: boolean | null;
  stamp: Stamp;
  /** True when the stamp's time is the received time standing in for one that could not be believed. */
  timeUntrusted: boolean;
  /** The top-level `balance` object, authoritative for the change this event reports (`total` undefined when not given). */
  change: { delta: number | null; balanceAfter: number | null; total: number | null | undefined } | null;
}

function balanceChange(event: ProjectedEvent, voucherId: string): CardSnapshot['change'] {
  const candidate = obj(event.data.balance) ?? obj(obj(obj(event.data.transaction)?.details)?.balance);
  if (!candidate) return null;
  if (candidate.type !== undefined && candidate.type !== 'loyalty_card') return null;
  const related = str(obj(candidate.related_object)?.id);
  if (related !== undefined && related !== voucherId) return null;
  const delta = amount(candidate.points);
  const balanceAfter = amount(candidate.balance);
  if (delta === undefined || balanceAfter === undefined) return null;
  return { delta, balanceAfter, total: amount(candidate.total) };
}

/** The loyalty card in `data.voucher`, if it is one. Pure: a read model reads it once per event and batch. */
export function cardSnapshotOf(event: ProjectedEvent): CardSnapshot | undefined {
  const voucher = obj(event.data.voucher);
  const voucherId = str(voucher?.id);
  if (!voucher || !voucherId) return undefined;
  const card = obj(voucher.loyalty_card);
  if (voucher.type !== 'LOYALTY_CARD' && !card) return undefined;

  const change = balanceChange(event, voucherId);
  const redemption = obj(voucher.redemption);
  const time = sourceTimeOf(event, voucher.updated_at);
  return {
    voucherId,
    code: str(voucher.code) ?? null,
    campaignId: str(voucher.campaign_id) ?? null,
    campaignName: str(voucher.campaign) ?? str(obj(event.data.campaign)?.name) ?? null,
    customerId: str(voucher.holder_id) ?? str(customerHolder(event.data)?.id) ?? str(obj(event.data.customer)?.id) ?? null,
    // Zero fields are often left out of snapshots.
    points: change && change.total !== undefined ? change.total : amountOrZero(card?.points),
    balance: change ? change.balanceAfter : amountOrZero(card?.balance),
    redeemedPoints: amountOrZero(redemption?.redeemed_points),
    expiredPoints: amountOrZero(card?.expired_points),
    subtractedPoints: amountOrZero(card?.subtracted_points),
    pendingPoints: amountOrZero(card?.pending_points),
    active: event.type === 'voucher.disabled' ? false : event.type === 'voucher.enabled' ? true : bool(voucher.active) ?? null,
    stamp: { at: time.at, eventId: event.eventId },
    timeUntrusted: time.untrusted,
    change,
  };
}
