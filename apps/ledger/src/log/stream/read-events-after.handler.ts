import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventLogReader, SafeOrderedEvent } from '../event-log.reader';
import { ReadEventsAfterQuery } from './read-events-after.query';

@QueryHandler(ReadEventsAfterQuery)
export class ReadEventsAfterHandler implements IQueryHandler<ReadEventsAfterQuery> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ after, limit }: ReadEventsAfterQuery): Promise<SafeOrderedEvent[]> {
    return this.reader.afterInSafeOrder(after, limit);
  }
}
