import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ListDeadLettersHandler } from './list-dead-letters.query';
import { ListRebuildJobsHandler } from './list-rebuild-jobs.query';
import { RebuildJobs } from './rebuild-jobs.service';
import { ReplayController } from './replay.controller';
import { RetryDeadLetterHandler } from './retry-dead-letter.command';
import { StartRebuildHandler } from './start-rebuild.command';

/** Rebuilding projections from the log and retrying dead letters (admin routes; `ledger replay` is replay.cli.ts). */
@Module({
  imports: [CqrsModule],
  controllers: [ReplayController],
  providers: [RebuildJobs, ListDeadLettersHandler, ListRebuildJobsHandler, StartRebuildHandler, RetryDeadLetterHandler],
})
export class ReplayModule {}
