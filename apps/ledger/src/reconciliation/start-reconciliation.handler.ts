import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ReconciliationService } from './reconciliation.service';
import type { ReconciliationRunDto } from './reconciliation.dto';
import { StartReconciliationCommand } from './start-reconciliation.command';

@CommandHandler(StartReconciliationCommand)
export class StartReconciliationHandler implements ICommandHandler<StartReconciliationCommand, ReconciliationRunDto> {
  constructor(private readonly reconciliations: ReconciliationService) {}

  execute({ request }: StartReconciliationCommand): Promise<ReconciliationRunDto> {
    return this.reconciliations.start(request, 'api');
  }
}
