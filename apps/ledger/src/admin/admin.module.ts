import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestModule } from '../ingest/ingest.module';
import { AdminController } from './admin.controller';
import { AdminTokenGuard } from './admin-token.guard';
import { PointValuesController } from './point-values.controller';
import { RebuildJobs } from './rebuild-jobs.service';

@Module({
  imports: [CqrsModule, IngestModule],
  controllers: [AdminController, PointValuesController],
  providers: [AdminTokenGuard, RebuildJobs],
})
export class AdminModule {}
