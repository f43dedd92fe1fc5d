import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventLogReader, EventPage } from './event-log.reader';
import type { EventPageRequest } from './event-log.reader';

export class ListEventsQuery extends Query<EventPage> {
  constructor(readonly page: EventPageRequest) {
    super();
  }
}

@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery, EventPage> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ page }: ListEventsQuery): Promise<EventPage> {
    return this.reader.page(page);
  }
}
