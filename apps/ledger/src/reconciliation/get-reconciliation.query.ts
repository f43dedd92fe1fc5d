import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ReconciliationReportDto } from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

/** One run with its report (per card differences); null when there is no such run. */
export class GetReconciliationQuery extends Query<ReconciliationReportDto | null> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetReconciliationQuery)
export class GetReconciliationHandler implements IQueryHandler<GetReconciliationQuery, ReconciliationReportDto | null> {
  constructor(private readonly reconciliations: ReconciliationService) {}

  execute({ id }: GetReconciliationQuery): Promise<ReconciliationReportDto | null> {
    return this.reconciliations.get(id);
  }
}
