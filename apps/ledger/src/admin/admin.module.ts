import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminTokenGuard } from './admin-token.guard';
import { RebuildJobs } from './rebuild-jobs.service';

@Module({
  controllers: [AdminController],
  providers: [AdminTokenGuard, RebuildJobs],
})
export class AdminModule {}
