import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventEffectsController } from './effects/event-effects.controller';
import { GetEventEffectsHandler } from './effects/get-event-effects.handler';
import { EventLogReader } from './event-log.reader';
import { EventsController } from './events.controller';
import { GetEventHandler } from './get-event.handler';
import { ListEventsHandler } from './list-events.handler';
import { ReceivedPerMinuteHandler } from './received-per-minute.handler';

/** GET /events: the controller asks the QueryBus; each handler reads the log through EventLogReader. */
@Module({
  imports: [CqrsModule],
  controllers: [EventsController, EventEffectsController],
  providers: [EventLogReader, ListEventsHandler, GetEventHandler, ReceivedPerMinuteHandler, GetEventEffectsHandler],
})
export class EventsModule {}
