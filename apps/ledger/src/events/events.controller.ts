import { Get, Header, NotFoundException, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SafeTextParam } from '../http/validation/param-pipes';
import { ReadApiController } from '../read-api/read-api-controller.decorator';
import type { EventDetailRow } from './event-log.reader';
import { presentEventJson, presentEventPageJson } from './event.presenter';
import { GetEventQuery } from './get-event.query';
import { ListEventsParams } from './list-events.params';
import { ListEventsQuery } from './list-events.query';

// The answers are JSON text built by event.presenter.ts (payloads are passed through, never re-serialised).
const JSON_TYPE = 'application/json; charset=utf-8';

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
  @ApiOkResponse({ description: '{ data: [event...], next_after: position | null } (order=desc: next_before instead)' })
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

  @Get(':eventId')
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({ summary: 'One event: metadata, parsed payload, and the raw body (base64)' })
  async get(@SafeTextParam('eventId') eventId: string): Promise<string> {
    return presentEventJson(await this.find(eventId));
  }

  @Get(':eventId/raw')
  @ApiOperation({ summary: 'The exact bytes received, e.g. to re-check a signature' })
  @ApiProduces('application/json')
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
