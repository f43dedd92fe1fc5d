import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestModule } from '../ingest/ingest.module';
import { ReconciliationService } from './reconciliation.service';

/** Reconciliation with Voucherify's API in the service (the CLI builds its own Reconciler). */
@Module({
  imports: [CqrsModule, IngestModule],
  providers: [ReconciliationService],
  exports: [ReconciliationService],
})
export class ReconcileModule {}
