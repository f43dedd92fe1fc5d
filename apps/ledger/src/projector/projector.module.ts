import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ProjectorService, WakeProjectorOnAppend } from './projector.service';

@Module({
  imports: [CqrsModule],
  providers: [ProjectorService, WakeProjectorOnAppend],
  exports: [ProjectorService],
})
export class ProjectorModule {}
