import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventEffectsController } from './effects/event-effects.controller';
import { GetEventEffectsHandler } from './effects/get-event-effects.handler';
import { EventLogReader } from './event-log.reader';
import { EventsController } from './events.controller';
import { GetEventHandler } from './get-event.handler';
import { ListEventsHandler } from './list-events.handler';
import { ReceivedPerMinuteHandler } from './received-per-minute.handler';
import { EventStreams, WakeStreamsOnAppend } from './stream/event-streams.service';
import { FindStreamStartHandler } from './stream/find-stream-start.handler';
import { ReadEventsAfterHandler } from './stream/read-events-after.handler';

/** GET /events: the controller asks the QueryBus; each handler reads the log through EventLogReader. */
@Module({
  imports: [CqrsModule],
  controllers: [EventsController, EventEffectsController],
  providers: [
    EventLogReader,
    ListEventsHandler,
    GetEventHandler,
    ReceivedPerMinuteHandler,
    GetEventEffectsHandler,
    EventStreams,
    WakeStreamsOnAppend,
    ReadEventsAfterHandler,
    FindStreamStartHandler,
  ],
})
export class EventsModule {}
