import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ExpiringPointsAdminController, ExpiringPointsController } from './expiring-points.controller';
import { ExpiringPointsService } from './expiring-points.service';
import { GetExpiringPointsHandler } from './get-expiring-points.query';

/** What will expire: Voucherify's point buckets read in the background, and the report over them and the webhooks. */
@Module({
  imports: [CqrsModule, ReconciliationModule],
  controllers: [ExpiringPointsController, ExpiringPointsAdminController],
  providers: [ExpiringPointsService, GetExpiringPointsHandler],
})
export class ExpiringPointsModule {}
