import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RebuildJob, RebuildJobs } from './rebuild-jobs.service';
import { StartRebuildCommand } from './start-rebuild.command';

@CommandHandler(StartRebuildCommand)
export class StartRebuildHandler implements ICommandHandler<StartRebuildCommand, RebuildJob> {
  constructor(private readonly rebuilds: RebuildJobs) {}

  async execute({ projection }: StartRebuildCommand): Promise<RebuildJob> {
    return this.rebuilds.start(projection);
  }
}
