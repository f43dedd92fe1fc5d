import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { LogCursor } from '@ledger/event-store';
import { EventLogReader } from '../event-log.reader';

/** Where a stream asked to start after a bare position begins: that event's commit-safe place (null: no such event). */
export class FindStreamStartQuery extends Query<LogCursor | null> {
  constructor(readonly position: number) {
    super();
  }
}

@QueryHandler(FindStreamStartQuery)
export class FindStreamStartHandler implements IQueryHandler<FindStreamStartQuery> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ position }: FindStreamStartQuery): Promise<LogCursor | null> {
    return this.reader.safePlaceOf(position);
  }
}
