import { Query } from '@nestjs/cqrs';
import type { StoredEvent } from '@ledger/event-store';

export class GetEventQuery extends Query<StoredEvent | null> {
  constructor(readonly eventId: string) {
    super();
  }
}
