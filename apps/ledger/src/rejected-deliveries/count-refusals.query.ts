import { Query } from '@nestjs/cqrs';
import type { TimeRange } from '../http/validation/time-range';
import type { RefusalCountDto } from './rejected-delivery.dto';

/** Refusals per minute, reason and status within a range, of unauthenticated and signed senders. */
export class CountRefusalsQuery extends Query<RefusalCountDto[]> {
  constructor(readonly range: TimeRange) {
    super();
  }
}
