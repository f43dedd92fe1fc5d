import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReconciliationService } from './reconciliation.service';
import { ListReconciliationsQuery } from './list-reconciliations.query';
import type { ReconciliationListDto } from './reconciliation.dto';

@QueryHandler(ListReconciliationsQuery)
export class ListReconciliationsHandler implements IQueryHandler<ListReconciliationsQuery, ReconciliationListDto> {
  constructor(private readonly reconciliations: ReconciliationService) {}

  execute({ limit, cursor }: ListReconciliationsQuery): Promise<ReconciliationListDto> {
    return this.reconciliations.list(limit, cursor);
  }
}
