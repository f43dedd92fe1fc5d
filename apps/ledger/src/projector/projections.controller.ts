import { Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ProjectionStatusListDto } from './projection-status.dto';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { ProjectionStatusQuery } from './projection-status.query';

@ReadApiController('projections')
export class ProjectionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Each projection: checkpoint, events behind the head of the log, parked events, last error' })
  @ApiOkResponse({ type: ProjectionStatusListDto })
  async list() {
    return { data: await this.queryBus.execute(new ProjectionStatusQuery()) };
  }
}
