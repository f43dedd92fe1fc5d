import { Query } from '@nestjs/cqrs';
import type { EventDetailRow } from './event-log.reader';

export class GetEventQuery extends Query<EventDetailRow | null> {
  constructor(readonly eventId: string) {
    super();
  }
}
