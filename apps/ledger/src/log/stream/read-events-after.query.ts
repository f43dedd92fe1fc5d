import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { LogCursor } from '@ledger/event-store';
import { EventLogReader, SafeOrderedEvent } from '../event-log.reader';

/** The next committed events after a commit-safe cursor (what a follower of the log reads). */
export class ReadEventsAfterQuery extends Query<SafeOrderedEvent[]> {
  constructor(
    readonly after: LogCursor,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(ReadEventsAfterQuery)
export class ReadEventsAfterHandler implements IQueryHandler<ReadEventsAfterQuery> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ after, limit }: ReadEventsAfterQuery): Promise<SafeOrderedEvent[]> {
    return this.reader.afterInSafeOrder(after, limit);
  }
}
