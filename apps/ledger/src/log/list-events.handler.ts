import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventLogReader, EventPage } from './event-log.reader';
import { ListEventsQuery } from './list-events.query';

@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery, EventPage> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ page }: ListEventsQuery): Promise<EventPage> {
    return this.reader.page(page);
  }
}
