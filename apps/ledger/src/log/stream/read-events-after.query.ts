import { Query } from '@nestjs/cqrs';
import type { CommitSafeCursor } from '../commit-safe-cursor';
import type { SafeOrderedEvent } from '../event-log.reader';

/** The next committed events after a commit-safe cursor (what a follower of the log reads). */
export class ReadEventsAfterQuery extends Query<SafeOrderedEvent[]> {
  constructor(
    readonly after: CommitSafeCursor,
    readonly limit: number,
  ) {
    super();
  }
}
