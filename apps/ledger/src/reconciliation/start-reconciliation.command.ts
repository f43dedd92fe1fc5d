import { Command } from '@nestjs/cqrs';
import type { ReconcileRequest } from './reconciler';
import type { ReconciliationRunDto } from './reconciliation.dto';

/** Start a reconciliation in the background (or resume the interrupted one of the same options). */
export class StartReconciliationCommand extends Command<ReconciliationRunDto> {
  constructor(readonly request: ReconcileRequest) {
    super();
  }
}
