import type { LogEvent, Projection } from '@ledger/event-store';
import { canonicalEventType } from '@ledger/voucherify';
import { obj } from './payload';
import type { ProjectedEvent } from './projected-event';
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
  return {
    position: event.position,
    eventId: event.eventId,
    type: canonicalEventType(event.type),
    occurredAt: event.occurredAt ? event.occurredAt.toISOString() : null,
    data: obj(obj(event.payload)?.data) ?? {},
  };
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
