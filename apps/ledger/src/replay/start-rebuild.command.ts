import { Command } from '@nestjs/cqrs';
import type { RebuildJob } from './rebuild-jobs.service';

/** Rebuild one projection from the log in this process, in the background; answers the job at once. */
export class StartRebuildCommand extends Command<RebuildJob> {
  constructor(readonly projection: string) {
    super();
  }
}
