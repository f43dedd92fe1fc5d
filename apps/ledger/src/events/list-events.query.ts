import { Query } from '@nestjs/cqrs';
import type { EventPageQuery, StoredEventSummary } from '@ledger/event-store';

export class ListEventsQuery extends Query<StoredEventSummary[]> {
  constructor(readonly page: EventPageQuery) {
    super();
  }
}
