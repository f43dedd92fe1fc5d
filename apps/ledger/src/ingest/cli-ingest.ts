import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { GroupCommitAppender } from '@ledger/event-store';
import { LedgerConfig } from '../config/ledger-config';
import { createGroupCommitAppender } from '../database/group-commit-appender';
import { PG_POOL } from '../database/database.module';
import { IngestCommand, IngestSource } from './ingest.command';
import type { IngestResult } from './ingest-result';
import { IngestModule } from './ingest.module';

/** What the ingest use case needs, given by the CLI instead of the service's modules. */
@Module({})
class CliIngestModule {
  static register(config: LedgerConfig, pool: Pool): DynamicModule {
    return {
      module: CliIngestModule,
      global: true,
      imports: [CqrsModule.forRoot(), IngestModule],
      providers: [
        { provide: LedgerConfig, useValue: config },
        { provide: GroupCommitAppender, useValue: createGroupCommitAppender(pool, config) },
        { provide: PG_POOL, useValue: pool },
      ],
      exports: [LedgerConfig, GroupCommitAppender, PG_POOL],
    };
  }
}

export interface CliIngest {
  /** One body through the service's own ingest use case, as an import unless another source is given. */
  ingest(rawBody: Buffer, source?: IngestSource): Promise<IngestResult>;
  close(): Promise<void>;
}

/** The ingest use case on a CommandBus of its own, over the CLI's database pool. */
export async function openCliIngest(config: LedgerConfig, pool: Pool): Promise<CliIngest> {
  const context = await NestFactory.createApplicationContext(CliIngestModule.register(config, pool), { logger: false });
  const commandBus = context.get(CommandBus);
  return {
    ingest: (rawBody, source = { kind: 'import' }) => commandBus.execute(new IngestCommand(rawBody, source)),
    close: () => context.close(),
  };
}
