import type { ProjectedEvent } from './projected-event';
import { time } from '@ledger/voucherify';

/**
 * How far a source time may lie after the moment the ledger received the event before it is not
 * believed. A constant, not a setting: a rebuild must give exactly the rows the live projector
 * gave, and a setting changed between the two would not.
 */
export const SOURCE_TIME_MAX_SKEW_MS = 60 * 60 * 1000;

/**
 * A time a read model orders by. Source times are data, not authority: a time the sender gave that
 * cannot be parsed, lies outside the years 0001–9999, or lies more than the allowed skew after the
 * event was received is replaced by the received time, and `untrusted` says so. A far-future
 * snapshot would otherwise freeze a card forever, and an unstorable one would park the event.
 */
export interface SourceTime {
  at: string | null;
  untrusted: boolean;
}

/** A time the source gave, checked against when the event was received; undefined when it gave none. */
export function checkedTime(value: unknown, receivedAt: string): SourceTime | undefined {
  if (value === undefined || value === null) return undefined;
  const at = time(value);
  if (at !== null && Date.parse(at) <= Date.parse(receivedAt) + SOURCE_TIME_MAX_SKEW_MS) return { at, untrusted: false };
  return { at: receivedAt, untrusted: true };
}

/** The event's own time (event.created_at), already checked when the event was read from the log. */
export const eventTime = (event: ProjectedEvent): SourceTime => ({ at: event.occurredAt, untrusted: event.occurredAtUntrusted });

/**
 * The first of `values` the sender gave (checked), else the event's own time. The first one
 * given decides: one that cannot be believed is replaced by the received time, not by the next
 * candidate, so the rule is the same for every field.
 */
export function sourceTimeOf(event: ProjectedEvent, ...values: unknown[]): SourceTime {
  for (const value of values) {
    const checked = checkedTime(value, event.receivedAt);
    if (checked) return checked;
  }
  return eventTime(event);
}

/** Like sourceTimeOf without the event's own time: a null time when none of `values` was given. */
export function givenTimeOf(event: ProjectedEvent, ...values: unknown[]): SourceTime {
  for (const value of values) {
    const checked = checkedTime(value, event.receivedAt);
    if (checked) return checked;
  }
  return { at: null, untrusted: false };
}

/**
 * The earlier of two times a final fact (a deletion) was seen at, so that any arrival order keeps
 * the same one; an unknown time (null) counts as the earliest, as in the ledger's chain.
 */
export function earlierTime(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  return Date.parse(b) < Date.parse(a) ? b : a;
}
