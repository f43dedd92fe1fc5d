import { Query } from '@nestjs/cqrs';
import type { EventPage, EventPageRequest } from './event-log.reader';

export class ListEventsQuery extends Query<EventPage> {
  constructor(readonly page: EventPageRequest) {
    super();
  }
}
