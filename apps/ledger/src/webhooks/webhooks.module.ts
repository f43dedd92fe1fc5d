import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestWebhookHandler } from './ingest-webhook.handler';
import { RejectedDeliveries } from './rejected-deliveries';
import { WebhooksController } from './webhooks.controller';

@Module({
  imports: [CqrsModule],
  controllers: [WebhooksController],
  providers: [IngestWebhookHandler, RejectedDeliveries],
  exports: [RejectedDeliveries],
})
export class WebhooksModule {}
