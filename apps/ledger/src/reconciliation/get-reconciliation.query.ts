import { Query } from '@nestjs/cqrs';
import type { ReconciliationReportDto } from './reconciliation.dto';

/** One run with its report (per card differences); null when there is no such run. */
export class GetReconciliationQuery extends Query<ReconciliationReportDto | null> {
  constructor(readonly id: string) {
    super();
  }
}
