import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore, StoredEvent, StoredEventSummary } from '@ledger/event-store';
import { GetEventQuery } from './get-event.query';
import { ListEventsQuery } from './list-events.query';

@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery, StoredEventSummary[]> {
  constructor(private readonly eventStore: EventStore) {}

  execute({ page }: ListEventsQuery): Promise<StoredEventSummary[]> {
    return this.eventStore.page(page);
  }
}

@QueryHandler(GetEventQuery)
export class GetEventHandler implements IQueryHandler<GetEventQuery, StoredEvent | null> {
  constructor(private readonly eventStore: EventStore) {}

  execute({ eventId }: GetEventQuery): Promise<StoredEvent | null> {
    return this.eventStore.findByEventId(eventId);
  }
}
