import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ALL_MIGRATIONS } from '@ledger/migrations';
import { EventStore, GroupCommitAppender } from '@ledger/event-store';
import { LedgerConfig } from '../config/ledger-config';
import { createGroupCommitAppender } from './group-commit-appender';
import { MigrationRunner } from './migration-runner';

/** The pg pool inside TypeORM's driver: hot paths use it directly, without ORM entities. */
export const PG_POOL = Symbol('PG_POOL');

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [LedgerConfig],
      useFactory: (config: LedgerConfig) => ({
        type: 'postgres' as const,
        url: config.databaseUrl,
        synchronize: false,
        migrationsRun: false,
        migrations: ALL_MIGRATIONS,
        migrationsTableName: 'typeorm_migrations',
        entities: [],
        retryAttempts: 10,
        retryDelay: 1000,
        extra: {
          max: config.databasePoolSize,
          // Fail fast when the database is unreachable so webhooks get a 503 well inside 10 s.
          connectionTimeoutMillis: config.databaseConnectTimeoutMs,
          keepAlive: true,
          application_name: 'loyalty-ledger',
        },
      }),
    }),
  ],
  providers: [
    {
      provide: PG_POOL,
      inject: [DataSource],
      useFactory: (dataSource: DataSource): Pool => (dataSource.driver as PostgresDriver).master as Pool,
    },
    {
      provide: EventStore,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new EventStore(pool),
    },
    {
      provide: GroupCommitAppender,
      inject: [PG_POOL, LedgerConfig],
      useFactory: createGroupCommitAppender,
    },
    MigrationRunner,
  ],
  exports: [PG_POOL, EventStore, GroupCommitAppender, MigrationRunner],
})
export class DatabaseModule {}
