import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CountRefusalsHandler } from './count-refusals.query';
import { ListRejectedDeliveriesHandler } from './list-rejected-deliveries.query';
import { RefusalCounts } from './refusal-counts';
import { RejectedDeliveries } from './rejected-deliveries';
import { RejectedDeliveriesController } from './rejected-deliveries.controller';
import { RejectedDeliveriesRetention } from './rejected-deliveries-retention';

/**
 * Deliveries the webhook route refused (it answers them: ingest/webhook-refusals.ts): kept when
 * the sender was authenticated, else counted per minute and reason; pruned by retention; listed
 * at /admin/rejected-deliveries.
 */
@Module({
  imports: [CqrsModule],
  controllers: [RejectedDeliveriesController],
  providers: [RefusalCounts, RejectedDeliveries, RejectedDeliveriesRetention, ListRejectedDeliveriesHandler, CountRefusalsHandler],
  exports: [RefusalCounts, RejectedDeliveries],
})
export class RejectedDeliveriesModule {}
