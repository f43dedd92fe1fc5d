import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestModule } from '../ingest/ingest.module';
import { GetReconciliationHandler } from './get-reconciliation.query';
import { ListReconciliationsHandler } from './list-reconciliations.query';
import { ReconciliationMetrics } from './reconciliation-metrics';
import { ReconciliationService } from './reconciliation.service';
import { ReconciliationsController } from './reconciliations.controller';
import { StartReconciliationHandler } from './start-reconciliation.command';
import { PlanReconciliationHandler } from './plan-reconciliation.query';

/**
 * Reconciliation with Voucherify's API in the service: /admin/reconciliations and the schedule.
 * `ledger reconcile` (reconcile.cli.ts) builds its own Reconciler; backfills go through ingest.
 */
@Module({
  imports: [CqrsModule, IngestModule],
  controllers: [ReconciliationsController],
  providers: [ReconciliationService, ReconciliationMetrics, StartReconciliationHandler, PlanReconciliationHandler, ListReconciliationsHandler, GetReconciliationHandler],
  // The Voucherify calls of the expiring points' reads count with the runs' (expiring-points/).
  exports: [ReconciliationMetrics],
})
export class ReconciliationModule {}
