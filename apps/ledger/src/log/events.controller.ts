import { BadRequestException, Get, Header, Headers, NotFoundException, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import { ApiErrorDto, ApiErrorResponses } from '../http/api-error.dto';
import { LOG_START, LogCursor } from '@ledger/event-store';
import { EventStreamParams } from './stream/event-stream.params';
import { EventStreams } from './stream/event-streams.service';
import { FindStreamStartQuery } from './stream/find-stream-start.query';
import { parseStreamStart, STREAM_START_PROBLEM } from './stream/stream-start';
import type { FastifyReply } from 'fastify';
import { SafeTextParam } from '../http/validation/param-pipes';
import { boundedTimeRange } from '../http/validation/time-range';
import { ReadApiController } from '../http/read-api-controller.decorator';
import type { EventDetailRow } from './event-log.reader';
import { EventDetailDto, EventPageDto } from './event.dto';
import { presentEventJson, presentEventPageJson } from './event.presenter';
import { GetEventQuery } from './get-event.query';
import { ListEventsParams } from './list-events.params';
import { ListEventsQuery } from './list-events.query';
import { ReceivedPerMinuteDto } from './received-per-minute.dto';
import { ReceivedPerMinuteParams } from './received-per-minute.params';
import { ReceivedPerMinuteQuery } from './received-per-minute.query';

// The answers are JSON text built by event.presenter.ts (payloads are passed through, never re-serialised).
const JSON_TYPE = 'application/json; charset=utf-8';
const HOUR_MS = 3_600_000;

@ReadApiController('events')
export class EventsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly streams: EventStreams,
  ) {}

  @Get()
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({
    summary: 'Browse the raw event log by position',
    description:
      'Committed events ordered by position; pass next_after as `after` for the next page. ' +
      'A page stops at `limit` events or once their stored bodies reach 4 MiB (always at least one event). ' +
      'A browse view: a transaction still in flight may commit a lower position later.',
  })
  @ApiOkResponse({ type: EventPageDto })
  async list(@Query() params: ListEventsParams): Promise<string> {
    const page = await this.queryBus.execute(
      new ListEventsQuery({
        afterPosition: params.after,
        limit: params.limit,
        type: params.type,
        customerId: params.customer_id,
        newestFirst: params.order === 'desc',
        beforePosition: params.before,
        signatureStatus: params.signature_status,
        receivedFrom: params.received_from,
        receivedTo: params.received_to,
      }),
    );
    return presentEventPageJson(page, params.order === 'desc');
  }

  @Get('received-per-minute')
  @ApiOperation({
    summary: 'Webhooks stored per minute of arrival (an overview chart), and when the newest arrived',
    description: 'Default: the last 6 hours; at most 7 days. Minutes without webhooks are left out. Imported and operator events are not counted.',
  })
  @ApiOkResponse({ type: ReceivedPerMinuteDto })
  async receivedPerMinute(@Query() params: ReceivedPerMinuteParams): Promise<ReceivedPerMinuteDto> {
    const range = boundedTimeRange(params.from, params.to, 6 * HOUR_MS, 7 * 24 * HOUR_MS);
    const counted = await this.queryBus.execute(new ReceivedPerMinuteQuery(range));
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      data: counted.minutes.map((m) => ({ minute: m.minute.toISOString(), webhooks: m.webhooks })),
      last_received_at: counted.lastReceivedAt?.toISOString() ?? null,
    };
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Follow the log live, as Server-Sent Events, in commit-safe order',
    description:
      'Each event is one SSE message: `id: <transaction_id>:<position>` and `data:` the event as GET /events shows it ' +
      '(EventSummaryDto). Reconnecting with Last-Event-ID (browsers do it by themselves) resumes after it: nothing missed, ' +
      'nothing twice. Comment lines (`: heartbeat`) every STREAM_HEARTBEAT_MS. A client that leaves data unread for ' +
      'STREAM_SLOW_CLIENT_MS is disconnected; at most STREAM_MAX_CLIENTS streams at once (429 beyond).',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received: resume after it' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrorResponses(429)
  async stream(@Query() params: EventStreamParams, @Headers('last-event-id') lastEventId: string | undefined, @Res() reply: FastifyReply) {
    this.streams.follow(reply, await this.streamStart(lastEventId ?? params.after));
  }

  @Get(':eventId')
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({ summary: 'One event: metadata, parsed payload, and the raw body (base64)' })
  @ApiOkResponse({ type: EventDetailDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'No event with this id' })
  async get(@SafeTextParam('eventId') eventId: string): Promise<string> {
    return presentEventJson(await this.find(eventId));
  }

  @Get(':eventId/raw')
  @ApiOperation({ summary: 'The exact bytes received, e.g. to re-check a signature' })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The stored bytes, as received', content: { 'application/json': { schema: {} } } })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'No event with this id' })
  async raw(@SafeTextParam('eventId') eventId: string, @Res() reply: FastifyReply) {
    const event = await this.find(eventId);
    reply.type('application/json').send(event.rawBody);
  }

  /** The commit-safe place a stream starts after (Last-Event-ID, else `after`, else the start of the log). */
  private async streamStart(asked: string | undefined): Promise<LogCursor> {
    if (asked === undefined) return LOG_START;
    const start = parseStreamStart(asked);
    if (!start) throw new BadRequestException(`Last-Event-ID or after ${STREAM_START_PROBLEM}`);
    if ('cursor' in start) return start.cursor;
    if (start.position === 0) return LOG_START;
    const place = await this.queryBus.execute(new FindStreamStartQuery(start.position));
    if (!place) throw new BadRequestException(`no event at position ${start.position}; start from 0 or a position the API returned`);
    return place;
  }

  private async find(eventId: string): Promise<EventDetailRow> {
    const event = await this.queryBus.execute(new GetEventQuery(eventId));
    if (!event) throw new NotFoundException(`no event with id ${eventId}`);
    return event;
  }
}
