import { Query } from '@nestjs/cqrs';
import type { RebuildJob } from './rebuild-jobs.service';

/** The rebuilds started over HTTP in this process, newest first. */
export class ListRebuildJobsQuery extends Query<RebuildJob[]> {}
