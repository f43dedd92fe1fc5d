import { Query } from '@nestjs/cqrs';
import type { ReconciliationListDto } from './reconciliation.dto';

/** Reconciliation runs, newest first, a page at a time. */
export class ListReconciliationsQuery extends Query<ReconciliationListDto> {
  constructor(
    readonly limit: number,
    readonly cursor?: { startedAt: string; id: string },
  ) {
    super();
  }
}
