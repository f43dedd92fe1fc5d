import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestModule } from '../ingest/ingest.module';
import { AdminController } from './admin.controller';
import { AdminTokenGuard } from './admin-token.guard';
import { ListDeadLettersHandler } from './list-dead-letters.handler';
import { ListRebuildJobsHandler } from './list-rebuild-jobs.handler';
import { PointValuesController } from './point-values.controller';
import { CountRefusalsHandler } from './rejected-deliveries/count-refusals.handler';
import { ListRejectedDeliveriesHandler } from './rejected-deliveries/list-rejected-deliveries.handler';
import { RejectedDeliveriesController } from './rejected-deliveries/rejected-deliveries.controller';
import { RebuildJobs } from './rebuild-jobs.service';
import { RetryDeadLetterHandler } from './retry-dead-letter.handler';
import { StartRebuildHandler } from './start-rebuild.handler';

/**
 * /admin: reads on the QueryBus, changes on the CommandBus, like every other route. The
 * projection status is the read API's own query (ProjectionStatusQuery, handled in ReadApiModule).
 */
@Module({
  imports: [CqrsModule, IngestModule],
  controllers: [AdminController, PointValuesController, RejectedDeliveriesController],
  providers: [AdminTokenGuard, RebuildJobs, ListDeadLettersHandler, ListRebuildJobsHandler, StartRebuildHandler, RetryDeadLetterHandler,
    ListRejectedDeliveriesHandler, CountRefusalsHandler],
})
export class AdminModule {}
