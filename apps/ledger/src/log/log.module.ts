import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventLogReader } from './event-log.reader';
import { EventsController } from './events.controller';
import { GetEventHandler } from './get-event.handler';
import { ListEventsHandler } from './list-events.handler';
import { ReceivedPerMinuteHandler } from './received-per-minute.handler';
import { EventStreams, WakeStreamsOnAppend } from './stream/event-streams.service';
import { FindStreamStartHandler } from './stream/find-stream-start.handler';
import { ReadEventsAfterHandler } from './stream/read-events-after.handler';

/** The raw log: GET /events, its stream and counts; each handler reads the log through EventLogReader. */
@Module({
  imports: [CqrsModule],
  controllers: [EventsController],
  providers: [
    EventLogReader,
    ListEventsHandler,
    GetEventHandler,
    ReceivedPerMinuteHandler,
    EventStreams,
    WakeStreamsOnAppend,
    ReadEventsAfterHandler,
    FindStreamStartHandler,
  ],
})
export class LogModule {}
