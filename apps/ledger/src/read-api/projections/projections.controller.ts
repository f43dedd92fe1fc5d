import { Get, Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { projectionStatus, ProjectionStatus } from '@ledger/event-store';
import { PROJECTION_NAMES } from '@ledger/projections';
import { PG_POOL } from '../../database/database.module';
import { ReadApiController } from '../read-api-controller.decorator';

export class ProjectionStatusQuery extends Query<ProjectionStatus[]> {}

@QueryHandler(ProjectionStatusQuery)
export class ProjectionStatusHandler implements IQueryHandler<ProjectionStatusQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute(): Promise<ProjectionStatus[]> {
    return projectionStatus(this.pool, PROJECTION_NAMES);
  }
}

@ReadApiController('projections')
export class ProjectionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Each projection: checkpoint, events behind the head of the log, parked events, last error' })
  async list() {
    return { data: await this.queryBus.execute(new ProjectionStatusQuery()) };
  }
}
