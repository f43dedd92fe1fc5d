import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ReconciliationListDto } from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

/** Reconciliation runs, newest first, a page at a time. */
export class ListReconciliationsQuery extends Query<ReconciliationListDto> {
  constructor(
    readonly limit: number,
    readonly cursor?: { startedAt: string; id: string },
  ) {
    super();
  }
}

@QueryHandler(ListReconciliationsQuery)
export class ListReconciliationsHandler implements IQueryHandler<ListReconciliationsQuery, ReconciliationListDto> {
  constructor(private readonly reconciliations: ReconciliationService) {}

  execute({ limit, cursor }: ListReconciliationsQuery): Promise<ReconciliationListDto> {
    return this.reconciliations.list(limit, cursor);
  }
}
