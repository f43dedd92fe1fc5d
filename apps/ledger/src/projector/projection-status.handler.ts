import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { projectionStatus, ProjectionStatus } from '@ledger/event-store';
import { PROJECTION_NAMES } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { ProjectionStatusQuery } from './projection-status.query';

@QueryHandler(ProjectionStatusQuery)
export class ProjectionStatusHandler implements IQueryHandler<ProjectionStatusQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute(): Promise<ProjectionStatus[]> {
    return projectionStatus(this.pool, PROJECTION_NAMES);
  }
}
