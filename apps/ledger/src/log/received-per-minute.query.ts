import { Query } from '@nestjs/cqrs';
import type { TimeRange } from '../http/validation/time-range';

export interface ReceivedPerMinute {
  minutes: { minute: Date; webhooks: number }[];
  lastReceivedAt: Date | null;
}

/** Webhooks stored per minute of arrival within a range, and the arrival of the newest one. */
export class ReceivedPerMinuteQuery extends Query<ReceivedPerMinute> {
  constructor(readonly range: TimeRange) {
    super();
  }
}
