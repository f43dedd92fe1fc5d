import { BadRequestException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../http/api-error.dto';
import { AdminProjectionsDto, DeadLetterListDto, RebuildStartedDto, RetryOutcomeDto } from './replay.dto';
import { PROJECTION_NAMES } from '@ledger/projections';
import { PositiveIdParamPipe } from '../http/validation/param-pipes';
import { ProjectionStatusQuery } from '../projector/projection-status.query';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { ListDeadLettersQuery } from './list-dead-letters.query';
import { ListRebuildJobsQuery } from './list-rebuild-jobs.query';
import { RetryDeadLetterCommand } from './retry-dead-letter.command';
import { StartRebuildCommand } from './start-rebuild.command';

/** Each operationId is the one this controller had as AdminController: generated clients name their methods by them. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@ApiErrorResponses(401, 404, 503)
@Controller('admin')
export class ReplayController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('projections/:name/rebuild')
  @HttpCode(202)
  @ApiOperation({ operationId: 'AdminController_rebuild', summary: 'Rebuild a projection from the log (shadow tables, then an atomic swap); returns a job' })
  @ApiAcceptedResponse({ type: RebuildStartedDto })
  async rebuild(@Param('name') name: string) {
    if (!PROJECTION_NAMES.includes(name)) throw new NotFoundException(`no projection ${name}; known: ${PROJECTION_NAMES.join(', ')}`);
    const job = await this.commandBus.execute(new StartRebuildCommand(name));
    return { job_id: job.id, job };
  }

  @Get('projections')
  @ApiOperation({ operationId: 'AdminController_projections', summary: 'Projection checkpoints, lag, parked events, and the rebuilds started here' })
  @ApiOkResponse({ type: AdminProjectionsDto })
  async projections() {
    const data = await this.queryBus.execute(new ProjectionStatusQuery());
    return { data, rebuilds: await this.queryBus.execute(new ListRebuildJobsQuery()) };
  }

  @Get('dead-letters')
  @ApiOperation({ operationId: 'AdminController_deadLetters', summary: 'Events a projection could not apply' })
  @ApiOkResponse({ type: DeadLetterListDto })
  @ApiQuery({ name: 'projection', required: false, description: 'Only this projection' })
  @ApiErrorResponses(400)
  async deadLetters(@Query('projection') projection?: string) {
    if (projection !== undefined && !PROJECTION_NAMES.includes(projection)) throw new BadRequestException(`no projection ${projection}`);
    return { data: await this.queryBus.execute(new ListDeadLettersQuery(projection)) };
  }

  @Post('dead-letters/:id/retry')
  @HttpCode(200)
  @ApiOperation({ operationId: 'AdminController_retry', summary: 'Apply a parked event again (after a fix)' })
  @ApiOkResponse({ type: RetryOutcomeDto })
  @ApiErrorResponses(400)
  async retry(@Param('id', PositiveIdParamPipe) id: number) {
    const result = await this.commandBus.execute(new RetryDeadLetterCommand(id));
    if (result.outcome === 'not_found') throw new NotFoundException(`no dead letter ${id}`);
    return result;
  }
}
