import { Query } from '@nestjs/cqrs';
import type { CommitSafeCursor } from '../commit-safe-cursor';

/** Where a stream asked to start after a bare position begins: that event's commit-safe place (null: no such event). */
export class FindStreamStartQuery extends Query<CommitSafeCursor | null> {
  constructor(readonly position: number) {
    super();
  }
}
