import { Module } from '@nestjs/common';
import { RejectedDeliveriesModule } from '../rejected-deliveries/rejected-deliveries.module';
import { IngestModule } from './ingest.module';
import { WebhookRefusals } from './webhook-refusals';
import { WebhookRoute } from './webhook.route';

/** POST /webhooks/voucherify, mounted on Fastify by createApp (see webhook.route.ts for why). */
@Module({
  imports: [IngestModule, RejectedDeliveriesModule],
  providers: [WebhookRoute, WebhookRefusals],
})
export class WebhooksModule {}
