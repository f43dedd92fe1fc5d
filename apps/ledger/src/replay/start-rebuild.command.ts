import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RebuildJob, RebuildJobs } from './rebuild-jobs.service';

/** Rebuild one projection from the log in this process, in the background; answers the job at once. */
export class StartRebuildCommand extends Command<RebuildJob> {
  constructor(readonly projection: string) {
    super();
  }
}

@CommandHandler(StartRebuildCommand)
export class StartRebuildHandler implements ICommandHandler<StartRebuildCommand, RebuildJob> {
  constructor(private readonly rebuilds: RebuildJobs) {}

  async execute({ projection }: StartRebuildCommand): Promise<RebuildJob> {
    return this.rebuilds.start(projection);
  }
}
