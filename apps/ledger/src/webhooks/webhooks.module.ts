import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestModule } from '../ingest/ingest.module';
import { RefusalCounts } from './refusal-counts';
import { RejectedDeliveries } from './rejected-deliveries';
import { RejectedDeliveriesRetention } from './rejected-deliveries-retention';
import { WebhookRefusals } from './webhook-refusals';
import { WebhookRoute } from './webhook.route';

/** The webhook route is mounted on Fastify by createApp (see webhook.route.ts for why). */
@Module({
  imports: [CqrsModule, IngestModule],
  providers: [RefusalCounts, RejectedDeliveries, RejectedDeliveriesRetention, WebhookRefusals, WebhookRoute],
})
export class WebhooksModule {}
