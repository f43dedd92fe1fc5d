import { Query } from '@nestjs/cqrs';
import type { DeadLetter } from '@ledger/event-store';

/** Events a projection could not apply, of one projection or of all. */
export class ListDeadLettersQuery extends Query<DeadLetter[]> {
  constructor(readonly projection?: string) {
    super();
  }
}
