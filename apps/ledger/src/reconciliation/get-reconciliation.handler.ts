import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReconciliationService } from './reconciliation.service';
import { GetReconciliationQuery } from './get-reconciliation.query';
import type { ReconciliationReportDto } from './reconciliation.dto';

@QueryHandler(GetReconciliationQuery)
export class GetReconciliationHandler implements IQueryHandler<GetReconciliationQuery, ReconciliationReportDto | null> {
  constructor(private readonly reconciliations: ReconciliationService) {}

  execute({ id }: GetReconciliationQuery): Promise<ReconciliationReportDto | null> {
    return this.reconciliations.get(id);
  }
}
