import { Query } from '@nestjs/cqrs';
import type { RejectionCursor } from './rejected-delivery-cursor';
import type { RejectedDeliveryPageDto } from './rejected-delivery.dto';

export interface RejectedDeliveriesFilter {
  reason?: string;
  status?: number;
  from?: string;
  to?: string;
  limit: number;
  after?: RejectionCursor;
}

/** Refused deliveries of signed senders, newest first. */
export class ListRejectedDeliveriesQuery extends Query<RejectedDeliveryPageDto> {
  constructor(readonly filter: RejectedDeliveriesFilter) {
    super();
  }
}
