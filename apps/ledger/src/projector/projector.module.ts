import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ProjectionStatusHandler } from './projection-status.query';
import { ProjectionsController } from './projections.controller';
import { ProjectorService } from './projector.service';

/** The live projector (projector.service.ts) and GET /projections, where each projection stands. */
@Module({
  imports: [CqrsModule],
  controllers: [ProjectionsController],
  providers: [ProjectorService, ProjectionStatusHandler],
  exports: [ProjectorService],
})
export class ProjectorModule {}
