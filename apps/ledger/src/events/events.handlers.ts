import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventDetailRow, EventLogReader, EventPage } from './event-log.reader';
import { GetEventQuery } from './get-event.query';
import { ListEventsQuery } from './list-events.query';

@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery, EventPage> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ page }: ListEventsQuery): Promise<EventPage> {
    return this.reader.page(page);
  }
}

@QueryHandler(GetEventQuery)
export class GetEventHandler implements IQueryHandler<GetEventQuery, EventDetailRow | null> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ eventId }: GetEventQuery): Promise<EventDetailRow | null> {
    return this.reader.find(eventId);
  }
}
