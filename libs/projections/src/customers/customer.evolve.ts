import { isNewer, ProjectedEvent } from '../projected-event';
import { customerHolder, obj, str } from '@ledger/voucherify';
import { sourceTimeOf } from '../source-time';

export interface CustomerProfile {
  id: string;
  sourceId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  metadata: Record<string, unknown> | null;
  /** Once deleted, always deleted: a deletion is final in Voucherify. */
  deleted: boolean;
  /** 1 when the profile came from a customer.* event (a full profile), 0 from a summary embedded in another event. */
  profileRank: number;
  profileAt: string | null;
  /** True when profileAt is the received time standing in for a source time that could not be believed. */
  profileAtUntrusted: boolean;
  profileEventId: string;
}

const PROFILE_EVENT_TYPES = new Set(['customer.created', 'customer.updated', 'customer.deleted']);

/** The customer object an event carries: `data.customer`, else the card `holder`. */
function customerObjectOf(event: ProjectedEvent): Record<string, any> | undefined {
  const customer = obj(event.data.customer) ?? customerHolder(event.data);
  return customer && str(customer.id) ? customer : undefined;
}

/** The ledger's record of an erasure (ledger_erase appends it): the profile loses the personal fields the log lost. */
const ERASURE_RECORDED = 'ledger.erasure.recorded';

export function customerKeys(event: ProjectedEvent): string[] {
  if (event.type === ERASURE_RECORDED) {
    const id = str(event.data.customer_id);
    return id ? [id] : [];
  }
  const customer = customerObjectOf(event);
  return customer ? [customer.id] : [];
}

/**
 * What a rebuild over the redacted log gives: no name, email, phone or metadata, and no source id when it
 * was personal. The profile's stamp stays, as the redacted events keep their ids and times.
 */
function erased(profile: CustomerProfile | undefined, event: ProjectedEvent): CustomerProfile | undefined {
  if (!profile) return profile;
  return { ...profile, name: null, email: null, phone: null, metadata: null, sourceId: event.data.source_id_erased === true ? null : profile.sourceId };
}

/** Latest profile by source time (customer.updated_at, else the event's time). */
export function evolveCustomer(profile: CustomerProfile | undefined, event: ProjectedEvent): CustomerProfile | undefined {
  if (event.type === ERASURE_RECORDED) return erased(profile, event);
  const customer = customerObjectOf(event);
  if (!customer) return profile;
  const deleted = (profile?.deleted ?? false) || event.type === 'customer.deleted';
  const time = sourceTimeOf(event, customer.updated_at);
  const stamp = { at: time.at, eventId: event.eventId };
  // A full profile outranks the short summaries other events embed, whatever their times, so a
  // later reward event cannot blank the metadata a customer.updated gave.
  const rank = PROFILE_EVENT_TYPES.has(event.type) ? 1 : 0;
  const outranked = profile !== undefined && (rank < profile.profileRank || (rank === profile.profileRank && !isNewer(stamp, { at: profile.profileAt, eventId: profile.profileEventId })));
  if (outranked) return deleted === profile.deleted ? profile : { ...profile, deleted };
  return {
    id: customer.id,
    sourceId: str(customer.source_id) ?? null,
    name: str(customer.name) ?? null,
    email: str(customer.email) ?? null,
    phone: str(customer.phone) ?? null,
    metadata: obj(customer.metadata) ?? null,
    deleted,
    profileRank: rank,
    profileAt: stamp.at,
    profileAtUntrusted: time.untrusted,
    profileEventId: stamp.eventId,
  };
}
