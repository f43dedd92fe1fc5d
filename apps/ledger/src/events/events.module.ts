import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventsController } from './events.controller';
import { GetEventHandler, ListEventsHandler } from './events.handlers';

@Module({
  imports: [CqrsModule],
  controllers: [EventsController],
  providers: [ListEventsHandler, GetEventHandler],
})
export class EventsModule {}
