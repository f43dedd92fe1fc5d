import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ListRebuildJobsQuery } from './list-rebuild-jobs.query';
import { RebuildJob, RebuildJobs } from './rebuild-jobs.service';

@QueryHandler(ListRebuildJobsQuery)
export class ListRebuildJobsHandler implements IQueryHandler<ListRebuildJobsQuery> {
  constructor(private readonly rebuilds: RebuildJobs) {}

  async execute(): Promise<RebuildJob[]> {
    return this.rebuilds.list();
  }
}
