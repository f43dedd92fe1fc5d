import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventLogReader } from './event-log.reader';
import { EventsController } from './events.controller';
import { LastVerificationHandler } from './last-verification.query';
import { VerificationController } from './verification.controller';
import { GetEventHandler } from './get-event.query';
import { ListEventsHandler } from './list-events.query';
import { ReceivedPerMinuteHandler } from './received-per-minute.query';
import { EventStreams, WakeStreamsOnAppend } from './stream/event-streams.service';
import { FindStreamStartHandler } from './stream/find-stream-start.query';
import { ReadEventsAfterHandler } from './stream/read-events-after.query';

/** The raw log: GET /events, its stream and counts (read through EventLogReader), and the last verify. */
@Module({
  imports: [CqrsModule],
  controllers: [EventsController, VerificationController],
  providers: [
    EventLogReader,
    ListEventsHandler,
    GetEventHandler,
    ReceivedPerMinuteHandler,
    EventStreams,
    WakeStreamsOnAppend,
    ReadEventsAfterHandler,
    FindStreamStartHandler,
    LastVerificationHandler,
  ],
})
export class LogModule {}
