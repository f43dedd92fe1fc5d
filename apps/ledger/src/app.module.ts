import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { LedgerConfig } from './config/ledger-config';
import { DatabaseModule } from './database/database.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { LOGGER_ROUTES, pinoHttpOptions } from './http/logging';
import { CustomersModule } from './customers/customers.module';
import { EventEffectsModule } from './event-effects/event-effects.module';
import { ErasureModule } from './erasure/erasure.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './health/metrics.module';
import { WebhooksModule } from './ingest/webhooks.module';
import { LogModule } from './log/log.module';
import { LoyaltyCardsModule } from './loyalty-cards/loyalty-cards.module';
import { LoyaltyTiersModule } from './loyalty-tiers/loyalty-tiers.module';
import { PointsLedgerModule } from './points-ledger/points-ledger.module';
import { ProjectorModule } from './projector/projector.module';
import { ExpiringPointsModule } from './expiring-points/expiring-points.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RejectedDeliveriesModule } from './rejected-deliveries/rejected-deliveries.module';
import { ReplayModule } from './replay/replay.module';
import { RewardRedemptionsModule } from './reward-redemptions/reward-redemptions.module';
import { VoucherHoldingsModule } from './voucher-holdings/voucher-holdings.module';

@Module({})
export class AppModule {
  static register(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config),
        LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(config), ...LOGGER_ROUTES }),
        CqrsModule.forRoot(),
        ScheduleModule.forRoot(), // periodic upkeep (rejected-deliveries-retention.ts)
        DatabaseModule,
        MetricsModule,
        // One module per feature, each with its routes, queries and commands (docs/architecture.md).
        WebhooksModule,
        LogModule,
        EventEffectsModule,
        CustomersModule,
        LoyaltyCardsModule,
        PointsLedgerModule,
        RewardRedemptionsModule,
        VoucherHoldingsModule,
        LoyaltyTiersModule,
        ProjectorModule,
        ReplayModule,
        RejectedDeliveriesModule,
        ReconciliationModule,
        ExpiringPointsModule,
        ErasureModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
    };
  }
}

/** Makes the validated LedgerConfig injectable everywhere. */
@Module({})
class ConfigModule {
  static register(config: LedgerConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: LedgerConfig, useValue: config }],
      exports: [LedgerConfig],
    };
  }
}
