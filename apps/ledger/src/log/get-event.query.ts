import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventDetailRow, EventLogReader } from './event-log.reader';

export class GetEventQuery extends Query<EventDetailRow | null> {
  constructor(readonly eventId: string) {
    super();
  }
}

@QueryHandler(GetEventQuery)
export class GetEventHandler implements IQueryHandler<GetEventQuery, EventDetailRow | null> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ eventId }: GetEventQuery): Promise<EventDetailRow | null> {
    return this.reader.find(eventId);
  }
}
