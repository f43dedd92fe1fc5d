import { Get, Header, NotFoundException, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import { ApiErrorDto } from '../http/api-error.dto';
import type { FastifyReply } from 'fastify';
import { SafeTextParam } from '../http/validation/param-pipes';
import { boundedTimeRange } from '../http/validation/time-range';
import { ReadApiController } from '../read-api/read-api-controller.decorator';
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
  constructor(private readonly queryBus: QueryBus) {}

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

  private async find(eventId: string): Promise<EventDetailRow> {
    const event = await this.queryBus.execute(new GetEventQuery(eventId));
    if (!event) throw new NotFoundException(`no event with id ${eventId}`);
    return event;
  }
}
