import { Get, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiErrorResponses } from '../http/api-error.dto';
import { SafeTextParam } from '../http/validation/param-pipes';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { EventEffectsDto } from './event-effects.dto';
import { GetEventEffectsQuery } from './get-event-effects.query';

/** GET /events/{id}/effects: an operator's "what did this webhook do?", answered from the read models. */
@ReadApiController('events')
export class EventEffectsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':eventId/effects')
  @ApiOperation({
    summary: 'What one event produced: the ledger entries, reward-redemption transitions and holdings that cite it',
    description:
      'Also the cards whose state in force comes from it, the projections that parked it (with the error), and the ' +
      'projections that have not applied it yet (their effects are not shown until they do; X-Min-Position waits for them).',
  })
  @ApiOkResponse({ type: EventEffectsDto })
  @ApiErrorResponses(400, 404)
  async effects(@SafeTextParam('eventId') eventId: string): Promise<EventEffectsDto> {
    const effects = await this.queryBus.execute(new GetEventEffectsQuery(eventId));
    if (!effects) throw new NotFoundException(`no event with id ${eventId}`);
    return effects;
  }
}
