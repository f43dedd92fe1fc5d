import type { LogEvent, Projection } from '@ledger/event-store';
import { canonicalEventType, isWithinYears1To9999, obj } from '@ledger/voucherify';
import type { ProjectedEvent } from './projected-event';
import { SOURCE_TIME_MAX_SKEW_MS, SourceTime } from './source-time';
import { applyBatch, KeyedReadModel } from './read-model';

/**
 * What a read model sees of a stored event. Each projection converts its batch once, so this is
 * kept cheap: the stored times are checked as numbers, not formatted and parsed again.
 */
export function toProjectedEvent(event: LogEvent): ProjectedEvent {
  const receivedAt = event.receivedAt.toISOString();
  const occurred = ownTime(event, receivedAt);
  return {
    position: event.position,
    eventId: event.eventId,
    type: canonicalEventType(event.type),
    occurredAt: occurred.at,
    occurredAtUntrusted: occurred.untrusted,
    receivedAt,
    signatureStatus: event.signatureStatus,
    data: obj(obj(event.payload)?.data) ?? {},
  };
}

/**
 * The event's created_at as stored, checked like any source time. A created_at that was given
 * but did not parse was stored as null; it is untrusted, not absent. An earlier parser may have
 * stored a year 0 or 10000 (PostgreSQL keeps both; a read model could not): checked again here.
 */
function ownTime(event: LogEvent, receivedAt: string): SourceTime {
  const occurred = event.occurredAt;
  if (occurred === null) return event.occurredAtGiven ? { at: receivedAt, untrusted: true } : { at: null, untrusted: false };
  // As checkedTime (source-time.ts) decides for a time given as text: a time outside the years
  // 0001–9999, or too far after the event was received, is not believed.
  const millis = occurred.getTime();
  if (isWithinYears1To9999(millis) && millis <= event.receivedAt.getTime() + SOURCE_TIME_MAX_SKEW_MS) {
    return { at: occurred.toISOString(), untrusted: false };
  }
  return { at: receivedAt, untrusted: true };
}

/** A keyed read model as the projection runner drives it. */
export function asProjection<S, F>(model: KeyedReadModel<S, F>): Projection {
  return {
    name: model.name,
    async apply(client, events) {
      const failures = await applyBatch(model, client, events.map(toProjectedEvent));
      return failures.map((f) => ({ event: events[f.index], error: f.error }));
    },
  };
}
