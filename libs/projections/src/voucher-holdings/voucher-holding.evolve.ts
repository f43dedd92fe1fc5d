import { compareStamps, isNewer, ProjectedEvent, Stamp } from '../projected-event';
import { amount, bool, obj, str } from '@ledger/voucherify';
import { SourceTime, sourceTimeOf } from '../source-time';

/**
 * How the customer came to hold the voucher: a publication, a reward, a holder assignment
 * (customer.holder.assignment.created, e.g. a referee of a referral code), or `unknown` when the
 * voucher was only ever seen already held (its `holder_id` in a redemption or card event).
 */
export type AcquiredVia = 'publication' | 'reward' | 'holder_assignment' | 'unknown';
export type HoldingStatus = 'active' | 'used_up' | 'disabled' | 'deleted';
export interface VoucherHolding {
  voucherId: string;
  customerId: string | null;
  code: string | null;
  type: string | null;
  campaignId: string | null;
  campaignName: string | null;
  active: boolean | null;
  discount: Record<string, unknown> | null;
  gift: Record<string, unknown> | null;
  /** Null when not given, or given but unreadable (then quantityUnreadable). */
  quantity: number | null;
  redeemedQuantity: number | null;
  quantityUnreadable: boolean;
  acquiredAt: string | null;
  /** True when acquiredAt is the received time standing in for a source time that could not be believed. */
  acquiredAtUntrusted: boolean;
  acquiredVia: AcquiredVia;
  acquiredEventId: string;
  deleted: boolean;
  status: HoldingStatus;
  snapshotAt: string | null;
  /** True when snapshotAt is the received time standing in for a source time that could not be believed. */
  snapshotAtUntrusted: boolean;
  snapshotEventId: string;
}

/** One voucher as an event shows it, with the customer holding it. */
interface Sighting {
  voucher: Record<string, any>;
  holderId: string;
  via: AcquiredVia;
  acquiredAt: SourceTime;
  /** Only the id is known (publication.vouchers_id[] without its object): it gives the holding, never the voucher's fields. */
  idOnly?: true;
}

const REWARD_TYPES = new Set(['customer.reward_redemptions.completed', 'customer.rewarded']);
const PUBLICATION_TYPES = new Set(['voucher.published', 'publication.succeeded']);

/** Every voucher with a known holder in the event: the voucher itself, a publication's, a reward's. */
function sightingsOf(event: ProjectedEvent): Sighting[] {
  const data = event.data;
  const sightings: Sighting[] = [];
  const publication = obj(data.publication);
  const isReward = REWARD_TYPES.has(event.type) || event.type.startsWith('customer.reward_redemptions.');

  const published = PUBLICATION_TYPES.has(event.type);
  const publishedTo = published ? str(publication?.customer_id) ?? str(obj(data.customer)?.id) : undefined;
  const voucher = obj(data.voucher);
  // In a holder assignment, data.voucher.holder_id is the code's owner (the referrer): a sighting
  // of the owner's holding like any other. The assignee's holding is the assignment's own (holder-assignment.evolve).
  if (voucher && str(voucher.id)) {
    const holderId = str(voucher.holder_id) ?? publishedTo;
    if (holderId) {
      sightings.push({
        voucher,
        holderId,
        via: published ? 'publication' : 'unknown',
        acquiredAt: published ? sourceTimeOf(event, publication?.created_at, voucher.created_at) : sourceTimeOf(event, voucher.created_at),
      });
    }
  }
  if (event.type === 'publication.succeeded') sightings.push(...publishedVouchers(event, publishedTo));
  for (const inner of [obj(publication?.voucher), obj(obj(data.reward)?.voucher)]) {
    if (!inner || !str(inner.id)) continue;
    const holderId = str(inner.holder_id) ?? str(publication?.customer_id);
    if (!holderId) continue;
    sightings.push({
      voucher: inner,
      holderId,
      via: isReward ? 'reward' : 'publication',
      acquiredAt: sourceTimeOf(event, publication?.created_at, inner.created_at),
    });
  }
  return sightings;
}

/**
 * publication.succeeded names its vouchers in `data.vouchers[]` (whole objects) and
 * `data.publication.vouchers_id[]` (ids), with no `data.voucher`: each is a holding of the
 * customer it was published to. An id without its object still makes a holding.
 */
function publishedVouchers(event: ProjectedEvent, publishedTo: string | undefined): Sighting[] {
  const publication = obj(event.data.publication);
  const acquiredAt = (voucher?: Record<string, any>) => sourceTimeOf(event, publication?.created_at, voucher?.created_at);
  const sightings: Sighting[] = [];
  const seen = new Set<string>();
  for (const item of Array.isArray(event.data.vouchers) ? event.data.vouchers : []) {
    const voucher = obj(item);
    const id = str(voucher?.id);
    if (!voucher || !id || seen.has(id)) continue;
    seen.add(id);
    const holderId = str(voucher.holder_id) ?? publishedTo;
    if (holderId) sightings.push({ voucher, holderId, via: 'publication', acquiredAt: acquiredAt(voucher) });
  }
  if (!publishedTo) return sightings;
  for (const item of Array.isArray(publication?.vouchers_id) ? publication!.vouchers_id : []) {
    const id = str(item);
    if (!id || seen.has(id)) continue;
    seen.add(id);
    sightings.push({ voucher: { id }, holderId: publishedTo, via: 'publication', acquiredAt: acquiredAt(), idOnly: true });
  }
  return sightings;
}

export function voucherHoldingKeys(event: ProjectedEvent): string[] {
  const keys = sightingsOf(event).map((s) => s.voucher.id as string);
  if (event.type === 'voucher.deleted' && str(obj(event.data.voucher)?.id)) keys.push(event.data.voucher.id);
  return keys;
}

/** Earliest acquisition wins; at the same instant a publication or reward explains it better than a holder field seen elsewhere. */
function isEarlierAcquisition(candidate: Stamp, via: AcquiredVia, current: VoucherHolding): boolean {
  const rank = (v: AcquiredVia) => (v === 'unknown' ? 1 : 0);
  const byTime = compareStamps({ at: candidate.at, eventId: '' }, { at: current.acquiredAt, eventId: '' });
  if (byTime !== 0) return byTime < 0;
  if (rank(via) !== rank(current.acquiredVia)) return rank(via) < rank(current.acquiredVia);
  return candidate.eventId < current.acquiredEventId;
}

function statusOf(h: Pick<VoucherHolding, 'deleted' | 'active' | 'quantity' | 'redeemedQuantity'>): HoldingStatus {
  if (h.deleted) return 'deleted';
  if (h.active === false) return 'disabled';
  if (h.quantity !== null && h.redeemedQuantity !== null && h.redeemedQuantity >= h.quantity) return 'used_up';
  return 'active';
}

/**
 * Fields from the newest sighting by source time; acquisition from the earliest one;
 * deletion is final. All three are order-independent.
 */
export function evolveVoucherHolding(
  holding: VoucherHolding | undefined,
  event: ProjectedEvent,
  voucherId: string,
): VoucherHolding | undefined {
  const sightings = sightingsOf(event).filter((s) => s.voucher.id === voucherId);
  const deletedNow = event.type === 'voucher.deleted';
  if (sightings.length === 0 && !deletedNow) return holding;

  let next: VoucherHolding | undefined = holding;
  for (const sighting of sightings) {
    const v = sighting.voucher;
    // An id alone is older than any sighting of the voucher itself, so it never blanks its fields.
    const time: SourceTime = sighting.idOnly ? { at: null, untrusted: false } : sourceTimeOf(event, v.updated_at, v.created_at);
    const stamp: Stamp = { at: time.at, eventId: event.eventId };
    const acquired: Stamp = { at: sighting.acquiredAt.at, eventId: event.eventId };
    // An empty event id marks "not seen yet" (a deletion can arrive before any sighting).
    const fresher = !next || next.snapshotEventId === '' || isNewer(stamp, { at: next.snapshotAt, eventId: next.snapshotEventId });
    const earlier = !next || next.acquiredEventId === '' || isEarlierAcquisition(acquired, sighting.via, next);
    if (!fresher && !earlier) continue;
    const redemption = obj(v.redemption);
    const quantity = amount(redemption?.quantity);
    const redeemedQuantity = amount(redemption?.redeemed_quantity);
    const explicitActive = event.type === 'voucher.disabled' ? false : event.type === 'voucher.enabled' ? true : undefined;
    const snapshot = fresher
      ? {
          customerId: sighting.holderId,
          code: str(v.code) ?? null,
          type: str(v.type) ?? null,
          campaignId: str(v.campaign_id) ?? null,
          campaignName: str(v.campaign) ?? null,
          active: explicitActive ?? bool(v.active) ?? null,
          discount: obj(v.discount) ?? null,
          gift: obj(v.gift) ?? null,
          quantity: quantity ?? null,
          redeemedQuantity: redeemedQuantity ?? null,
          quantityUnreadable: quantity === null || redeemedQuantity === null,
          snapshotAt: stamp.at,
          snapshotAtUntrusted: time.untrusted,
          snapshotEventId: stamp.eventId,
        }
      : next!;
    const acquisition = earlier
      ? { acquiredAt: acquired.at, acquiredAtUntrusted: sighting.acquiredAt.untrusted, acquiredVia: sighting.via, acquiredEventId: acquired.eventId }
      : next!;
    const deleted = next?.deleted ?? false;
    next = {
      voucherId,
      customerId: snapshot.customerId,
      code: snapshot.code,
      type: snapshot.type,
      campaignId: snapshot.campaignId,
      campaignName: snapshot.campaignName,
      active: snapshot.active,
      discount: snapshot.discount,
      gift: snapshot.gift,
      quantity: snapshot.quantity,
      redeemedQuantity: snapshot.redeemedQuantity,
      quantityUnreadable: snapshot.quantityUnreadable,
      acquiredAt: acquisition.acquiredAt,
      acquiredAtUntrusted: acquisition.acquiredAtUntrusted,
      acquiredVia: acquisition.acquiredVia,
      acquiredEventId: acquisition.acquiredEventId,
      deleted,
      snapshotAt: snapshot.snapshotAt,
      snapshotAtUntrusted: snapshot.snapshotAtUntrusted,
      snapshotEventId: snapshot.snapshotEventId,
      status: 'active',
    };
    next.status = statusOf(next);
  }
  if (deletedNow && !next) return deletionTombstone(voucherId);
  if (deletedNow && next && !next.deleted) next = { ...next, deleted: true, status: 'deleted' };
  return next;
}

/** Remembers a deletion seen before the voucher itself, so arrival order cannot undo it. */
function deletionTombstone(voucherId: string): VoucherHolding {
  return {
    voucherId,
    customerId: null,
    code: null,
    type: null,
    campaignId: null,
    campaignName: null,
    active: null,
    discount: null,
    gift: null,
    quantity: null,
    redeemedQuantity: null,
    quantityUnreadable: false,
    acquiredAt: null,
    acquiredAtUntrusted: false,
    acquiredVia: 'unknown',
    acquiredEventId: '',
    deleted: true,
    status: 'deleted',
    snapshotAt: null,
    snapshotAtUntrusted: false,
    snapshotEventId: '',
  };
}
