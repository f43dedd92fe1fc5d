import { Query } from '@nestjs/cqrs';
import type { EventEffects } from '@ledger/projections';

/** What a stored event produced in the read models; null when no event has that id. */
export class GetEventEffectsQuery extends Query<EventEffects | null> {
  constructor(readonly eventId: string) {
    super();
  }
}
