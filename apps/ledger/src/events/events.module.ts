import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventLogReader } from './event-log.reader';
import { EventsController } from './events.controller';
import { GetEventHandler, ListEventsHandler } from './events.handlers';

@Module({
  imports: [CqrsModule],
  controllers: [EventsController],
  providers: [EventLogReader, ListEventsHandler, GetEventHandler],
})
export class EventsModule {}
