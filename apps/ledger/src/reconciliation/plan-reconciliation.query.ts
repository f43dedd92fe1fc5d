import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ReconcileRequest } from './reconciler';
import type { ReconciliationPlanDto } from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

/** What a run of these options would read and spend, from the ledger alone: Voucherify is not called. */
export class PlanReconciliationQuery extends Query<ReconciliationPlanDto> {
  constructor(readonly request: ReconcileRequest) {
    super();
  }
}

@QueryHandler(PlanReconciliationQuery)
export class PlanReconciliationHandler implements IQueryHandler<PlanReconciliationQuery> {
  constructor(private readonly reconciliations: ReconciliationService) {}

  execute({ request }: PlanReconciliationQuery): Promise<ReconciliationPlanDto> {
    return this.reconciliations.plan(request);
  }
}
