import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { projectionStatus, ProjectionStatus } from '@ledger/event-store';
import { PROJECTION_NAMES } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';

/** Each read model's projection: checkpoint, events behind the head of the log, parked events, last error. */
export class ProjectionStatusQuery extends Query<ProjectionStatus[]> {}

@QueryHandler(ProjectionStatusQuery)
export class ProjectionStatusHandler implements IQueryHandler<ProjectionStatusQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute(): Promise<ProjectionStatus[]> {
    return projectionStatus(this.pool, PROJECTION_NAMES);
  }
}
