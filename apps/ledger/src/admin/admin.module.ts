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
import { ReconcileModule } from '../reconcile/reconcile.module';
import { GetReconciliationHandler } from './reconciliations/get-reconciliation.handler';
import { ListReconciliationsHandler } from './reconciliations/list-reconciliations.handler';
import { ReconciliationsController } from './reconciliations/reconciliations.controller';
import { StartReconciliationHandler } from './reconciliations/start-reconciliation.handler';
import { StartRebuildHandler } from './start-rebuild.handler';

/**
 * /admin: reads on the QueryBus, changes on the CommandBus, like every other route. The
 * projection status is the read API's own query (ProjectionStatusQuery, handled in ReadApiModule).
 */
@Module({
  imports: [CqrsModule, IngestModule, ReconcileModule],
  controllers: [AdminController, PointValuesController, RejectedDeliveriesController, ReconciliationsController],
  providers: [
    AdminTokenGuard,
    RebuildJobs,
    ListDeadLettersHandler,
    ListRebuildJobsHandler,
    StartRebuildHandler,
    RetryDeadLetterHandler,
    ListRejectedDeliveriesHandler,
    CountRefusalsHandler,
    StartReconciliationHandler,
    ListReconciliationsHandler,
    GetReconciliationHandler,
  ],
})
export class AdminModule {}
