import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { CommitSafeCursor } from '../commit-safe-cursor';
import { EventLogReader } from '../event-log.reader';
import { FindStreamStartQuery } from './find-stream-start.query';

@QueryHandler(FindStreamStartQuery)
export class FindStreamStartHandler implements IQueryHandler<FindStreamStartQuery> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ position }: FindStreamStartQuery): Promise<CommitSafeCursor | null> {
    return this.reader.safePlaceOf(position);
  }
}
