import type { ProjectedEvent, Stamp } from '../projected-event';
import { absentAsZero, customerHolder, isLoyaltyCard, obj, parseBalance, parseVoucher, str } from '@ledger/voucherify';
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
  /** The day the card's next points expire, and how many (`loyalty_card.next_expiration_*`); null when not told. */
  nextExpirationDate: string | null;
  nextExpirationPoints: number | null;
  /**
   * False when the voucher carries no `loyalty_card` (a reconciliation's backfill names the card by
   * its stable fields only): its counters are not told, and the card keeps the ones it has.
   */
  countersTold: boolean;
  /** The voucher's `active` as this event shows it (voucher.disabled / voucher.enabled say so by their type); null when not given. */
  active: boolean | null;
  stamp: Stamp;
  /** True when the stamp's time is the received time standing in for one that could not be believed. */
  timeUntrusted: boolean;
  /** The top-level `balance` object, authoritative for the change this event reports (`total` undefined when not given). */
  change: { delta: number | null; balanceAfter: number | null; total: number | null | undefined } | null;
}

/** The stated change this event reports for the card (`data.balance`, else its transaction's), if any. */
function balanceChange(event: ProjectedEvent, voucherId: string): CardSnapshot['change'] {
  const stated = parseBalance(event.data.balance) ?? parseBalance(obj(obj(event.data.transaction)?.details)?.balance);
  if (!stated) return null;
  if (stated.type !== undefined && stated.type !== 'loyalty_card') return null;
  if (stated.relatedObjectId !== undefined && stated.relatedObjectId !== voucherId) return null;
  if (stated.points === undefined || stated.balance === undefined) return null;
  return { delta: stated.points, balanceAfter: stated.balance, total: stated.total };
}

/** The loyalty card in `data.voucher`, if it is one. Pure: a read model reads it once per event and batch. */
export function cardSnapshotOf(event: ProjectedEvent): CardSnapshot | undefined {
  const voucher = parseVoucher(event.data.voucher);
  if (!voucher || !isLoyaltyCard(voucher)) return undefined;
  const card = voucher.loyaltyCard;
  const change = balanceChange(event, voucher.id);
  const time = sourceTimeOf(event, voucher.updatedAt);
  return {
    voucherId: voucher.id,
    code: voucher.code ?? null,
    campaignId: voucher.campaignId ?? null,
    campaignName: voucher.campaignName ?? str(obj(event.data.campaign)?.name) ?? null,
    customerId: voucher.holderId ?? str(customerHolder(event.data)?.id) ?? str(obj(event.data.customer)?.id) ?? null,
    // Zero fields are often left out of snapshots. `loyalty_card.points` is the lifetime figure; a
    // transaction's `details.balance.total` drops on removals and transfers out: never read as it.
    points: absentAsZero(card?.points),
    balance: change ? change.balanceAfter : absentAsZero(card?.balance),
    redeemedPoints: absentAsZero(voucher.redeemedPoints),
    expiredPoints: absentAsZero(card?.expiredPoints),
    subtractedPoints: absentAsZero(card?.subtractedPoints),
    pendingPoints: absentAsZero(card?.pendingPoints),
    nextExpirationDate: card?.nextExpirationDate ?? null,
    nextExpirationPoints: card?.nextExpirationPoints ?? null,
    countersTold: card !== undefined,
    active: event.type === 'voucher.disabled' ? false : event.type === 'voucher.enabled' ? true : voucher.active ?? null,
    stamp: { at: time.at, eventId: event.eventId },
    timeUntrusted: time.untrusted,
    change,
  };
}
