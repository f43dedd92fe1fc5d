import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RebuildJob, RebuildJobs } from './rebuild-jobs.service';

/** The rebuilds started over HTTP in this process, newest first. */
export class ListRebuildJobsQuery extends Query<RebuildJob[]> {}

@QueryHandler(ListRebuildJobsQuery)
export class ListRebuildJobsHandler implements IQueryHandler<ListRebuildJobsQuery> {
  constructor(private readonly rebuilds: RebuildJobs) {}

  async execute(): Promise<RebuildJob[]> {
    return this.rebuilds.list();
  }
}
