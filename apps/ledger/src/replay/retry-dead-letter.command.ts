import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { retryDeadLetter, RetryOutcome } from '@ledger/event-store';
import { ALL_READ_MODELS, asProjection } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** Apply a parked event again (after a fix); `not_found` when there is no such dead letter. */
export class RetryDeadLetterCommand extends Command<RetryOutcome> {
  constructor(readonly id: number) {
    super();
  }
}

@CommandHandler(RetryDeadLetterCommand)
export class RetryDeadLetterHandler implements ICommandHandler<RetryDeadLetterCommand, RetryOutcome> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ id }: RetryDeadLetterCommand): Promise<RetryOutcome> {
    return retryDeadLetter(this.pool, ALL_READ_MODELS.map(asProjection), id);
  }
}
