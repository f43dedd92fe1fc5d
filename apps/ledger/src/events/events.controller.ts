import { Controller, Get, NotFoundException, Param, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { StoredEvent } from '@ledger/event-store';
import { presentEvent, presentEventSummary } from './event.presenter';
import { GetEventQuery } from './get-event.query';
import { ListEventsParams } from './list-events.params';
import { ListEventsQuery } from './list-events.query';
import { ReadTokenGuard } from '../http/read-token.guard';

@ApiTags('events')
@ApiBearerAuth()
@UseGuards(ReadTokenGuard)
@Controller('events')
export class EventsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Browse the raw event log by position',
    description:
      'Committed events ordered by position; pass next_after as `after` for the next page. ' +
      'A browse view: a transaction still in flight may commit a lower position later.',
  })
  @ApiOkResponse({ description: '{ data: [event...], next_after: position | null }' })
  async list(@Query() params: ListEventsParams) {
    const events = await this.queryBus.execute(
      new ListEventsQuery({ afterPosition: params.after, limit: params.limit, type: params.type, customerId: params.customer_id }),
    );
    const full = events.length === params.limit;
    return {
      data: events.map(presentEventSummary),
      next_after: full ? events[events.length - 1].position : null,
    };
  }

  @Get(':eventId')
  @ApiOperation({ summary: 'One event: metadata, parsed payload, and the raw body (base64)' })
  async get(@Param('eventId') eventId: string) {
    return presentEvent(await this.find(eventId));
  }

  @Get(':eventId/raw')
  @ApiOperation({ summary: 'The exact bytes received, e.g. to re-check a signature' })
  @ApiProduces('application/json')
  async raw(@Param('eventId') eventId: string, @Res() reply: FastifyReply) {
    const event = await this.find(eventId);
    reply.type('application/json').send(event.rawBody);
  }

  private async find(eventId: string): Promise<StoredEvent> {
    const event = await this.queryBus.execute(new GetEventQuery(eventId));
    if (!event) throw new NotFoundException(`no event with id ${eventId}`);
    return event;
  }
}
