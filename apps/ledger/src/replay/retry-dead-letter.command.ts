import { Command } from '@nestjs/cqrs';
import type { RetryOutcome } from '@ledger/event-store';

/** Apply a parked event again (after a fix); `not_found` when there is no such dead letter. */
export class RetryDeadLetterCommand extends Command<RetryOutcome> {
  constructor(readonly id: number) {
    super();
  }
}
