import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ReconcileRequest } from './reconciler';
import type { ReconciliationRunDto } from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

/** Start a reconciliation in the background (or resume the interrupted one of the same options). */
export class StartReconciliationCommand extends Command<ReconciliationRunDto> {
  constructor(readonly request: ReconcileRequest) {
    super();
  }
}

@CommandHandler(StartReconciliationCommand)
export class StartReconciliationHandler implements ICommandHandler<StartReconciliationCommand, ReconciliationRunDto> {
  constructor(private readonly reconciliations: ReconciliationService) {}

  execute({ request }: StartReconciliationCommand): Promise<ReconciliationRunDto> {
    return this.reconciliations.start(request, 'api');
  }
}
