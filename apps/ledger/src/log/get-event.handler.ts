import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventDetailRow, EventLogReader } from './event-log.reader';
import { GetEventQuery } from './get-event.query';

@QueryHandler(GetEventQuery)
export class GetEventHandler implements IQueryHandler<GetEventQuery, EventDetailRow | null> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ eventId }: GetEventQuery): Promise<EventDetailRow | null> {
    return this.reader.find(eventId);
  }
}
