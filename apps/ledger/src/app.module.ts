import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { LedgerConfig } from './config/ledger-config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { LOGGER_ROUTES, pinoHttpOptions } from './http/logging';
import { AdminModule } from './admin/admin.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProjectorModule } from './projector/projector.module';
import { ReadApiModule } from './read-api/read-api.module';
import { WebhooksModule } from './webhooks/webhooks.module';

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
        WebhooksModule,
        EventsModule,
        ReadApiModule,
        ProjectorModule,
        AdminModule,
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
