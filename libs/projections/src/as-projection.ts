import type { LogEvent, Projection } from '@ledger/event-store';
import { canonicalEventType } from '@ledger/voucherify';
import { obj } from './payload';
import type { ProjectedEvent } from './projected-event';
import { checkedTime, SourceTime } from './source-time';
import { applyBatch, KeyedReadModel } from './read-model';

// Every projection of a group batch receives the same LogEvent objects: convert each once.
const converted = new WeakMap<LogEvent, ProjectedEvent>();

export function toProjectedEvent(event: LogEvent): ProjectedEvent {
  let projected = converted.get(event);
  if (!projected) {
    projected = convert(event);
    converted.set(event, projected);
  }
  return projected;
}

function convert(event: LogEvent): ProjectedEvent {
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
  const iso = Number.isNaN(occurred.getTime()) ? 'invalid' : occurred.toISOString();
  return checkedTime(iso, receivedAt)!;
}

/** A keyed read model as the projection runner drives it. */
export function asProjection<S>(model: KeyedReadModel<S>): Projection {
  return {
    name: model.name,
    async apply(client, events) {
      const projected = events.map(toProjectedEvent);
      const failures = await applyBatch(model, client, projected);
      return failures.map((f) => ({ event: events[projected.indexOf(f.event)], error: f.error }));
    },
  };
}
