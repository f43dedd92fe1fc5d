import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventLogReader } from './event-log.reader';
import { EventsController } from './events.controller';
import { GetEventHandler } from './get-event.query';
import { ListEventsHandler } from './list-events.query';
import { ReceivedPerMinuteHandler } from './received-per-minute.query';
import { EventStreams, WakeStreamsOnAppend } from './stream/event-streams.service';
import { FindStreamStartHandler } from './stream/find-stream-start.query';
import { ReadEventsAfterHandler } from './stream/read-events-after.query';

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
