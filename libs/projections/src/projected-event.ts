/** What a read model sees of a stored event. */
export interface ProjectedEvent {
  position: number;
  eventId: string;
  /** Canonical type: distribution types (`customer.X`) folded onto project-settings types. */
  type: string;
  /**
   * The source's own time of the event (event.created_at): null when the sender gave none; the
   * received time when the one given cannot be believed (see source-time.ts).
   */
  occurredAt: string | null;
  /** True when occurredAt is the received time standing in for a created_at that could not be believed. */
  occurredAtUntrusted: boolean;
  /** When the ledger stored the event (ISO): the bound for every source time, and their stand-in. */
  receivedAt: string;
  /** How the event came in; only an `operator` event may set what the ledger's operators set (a point value). */
  signatureStatus: string;
  data: Record<string, any>;
}

/**
 * A point in source time, tie-broken by event id, so "newest" is the same whatever the order
 * of arrival. A missing time is older than any time.
 */
export interface Stamp {
  at: string | null;
  eventId: string;
}

export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.at !== b.at) {
    if (a.at === null) return -1;
    if (b.at === null) return 1;
    const diff = Date.parse(a.at) - Date.parse(b.at);
    if (diff !== 0) return diff;
  }
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

export function isNewer(candidate: Stamp, current: Stamp | undefined): boolean {
  return current === undefined || compareStamps(candidate, current) > 0;
}
