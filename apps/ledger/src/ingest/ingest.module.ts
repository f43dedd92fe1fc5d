import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestHandler } from './ingest.command';

/**
 * The ingest use case (IngestCommand on the CommandBus). Needs LedgerConfig and the
 * GroupCommitAppender from the application (DatabaseModule) or from the CLI's context.
 */
@Module({
  imports: [CqrsModule],
  providers: [IngestHandler],
})
export class IngestModule {}
