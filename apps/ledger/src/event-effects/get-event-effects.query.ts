import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { readEvent } from '@ledger/event-store';
import { EventEffects, findEventEffects } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** What a stored event produced in the read models; null when no event has that id. */
export class GetEventEffectsQuery extends Query<EventEffects | null> {
  constructor(readonly eventId: string) {
    super();
  }
}

@QueryHandler(GetEventEffectsQuery)
export class GetEventEffectsHandler implements IQueryHandler<GetEventEffectsQuery, EventEffects | null> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ eventId }: GetEventEffectsQuery): Promise<EventEffects | null> {
    const event = await readEvent(this.pool, eventId);
    return event ? findEventEffects(this.pool, event) : null;
  }
}
