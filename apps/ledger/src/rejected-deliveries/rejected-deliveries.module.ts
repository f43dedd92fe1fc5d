import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CountRefusalsHandler } from './count-refusals.query';
import { ListRejectedDeliveriesHandler } from './list-rejected-deliveries.query';
import { RefusalCounts } from './refusal-counts';
import { RejectedDeliveries } from './rejected-deliveries';
import { RejectedDeliveriesController } from './rejected-deliveries.controller';
import { RejectedDeliveriesRetention } from './rejected-deliveries-retention';
import { WebhookRefusals } from './webhook-refusals';

/**
 * Deliveries the webhook route refused: answered and counted (WebhookRefusals), kept when the
 * sender was authenticated, pruned by retention, and listed at /admin/rejected-deliveries.
 */
@Module({
  imports: [CqrsModule],
  controllers: [RejectedDeliveriesController],
  providers: [RefusalCounts, RejectedDeliveries, RejectedDeliveriesRetention, WebhookRefusals, ListRejectedDeliveriesHandler, CountRefusalsHandler],
  exports: [WebhookRefusals],
})
export class RejectedDeliveriesModule {}
