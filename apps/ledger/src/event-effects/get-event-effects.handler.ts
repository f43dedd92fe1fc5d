import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { readEvent } from '@ledger/event-store';
import { EventEffects, findEventEffects } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GetEventEffectsQuery } from './get-event-effects.query';

@QueryHandler(GetEventEffectsQuery)
export class GetEventEffectsHandler implements IQueryHandler<GetEventEffectsQuery, EventEffects | null> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ eventId }: GetEventEffectsQuery): Promise<EventEffects | null> {
    const event = await readEvent(this.pool, eventId);
    return event ? findEventEffects(this.pool, event) : null;
  }
}
