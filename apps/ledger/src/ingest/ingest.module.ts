import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestHandler } from './ingest.command';
import { ErasedCustomers } from '../erasure/erased-customers';

/**
 * The ingest use case (IngestCommand on the CommandBus). Needs LedgerConfig, PG_POOL and the
 * GroupCommitAppender from the application (DatabaseModule) or from the CLI's context.
 */
@Module({
  imports: [CqrsModule],
  providers: [IngestHandler, ErasedCustomers],
})
export class IngestModule {}
