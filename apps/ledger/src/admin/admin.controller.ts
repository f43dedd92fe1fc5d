import { BadRequestException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { listDeadLetters, projectionStatus, retryDeadLetter } from '@ledger/event-store';
import { ALL_READ_MODELS, asProjection, PROJECTION_NAMES } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { PositiveIdParamPipe } from '../http/validation/param-pipes';
import { AdminTokenGuard } from './admin-token.guard';
import { RebuildJobs } from './rebuild-jobs.service';

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin')
export class AdminController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly rebuilds: RebuildJobs,
  ) {}

  @Post('projections/:name/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild a projection from the log (shadow tables, then an atomic swap); returns a job' })
  rebuild(@Param('name') name: string) {
    if (!PROJECTION_NAMES.includes(name)) throw new NotFoundException(`no projection ${name}; known: ${PROJECTION_NAMES.join(', ')}`);
    const job = this.rebuilds.start(name);
    return { job_id: job.id, job };
  }

  @Get('projections')
  @ApiOperation({ summary: 'Projection checkpoints, lag, parked events, and the rebuilds started here' })
  async projections() {
    return { data: await projectionStatus(this.pool, PROJECTION_NAMES), rebuilds: this.rebuilds.list() };
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Events a projection could not apply' })
  async deadLetters(@Query('projection') projection?: string) {
    if (projection !== undefined && !PROJECTION_NAMES.includes(projection)) throw new BadRequestException(`no projection ${projection}`);
    return { data: await listDeadLetters(this.pool, projection) };
  }

  @Post('dead-letters/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply a parked event again (after a fix)' })
  async retry(@Param('id', PositiveIdParamPipe) id: number) {
    const result = await retryDeadLetter(this.pool, ALL_READ_MODELS.map(asProjection), id);
    if (result.outcome === 'not_found') throw new NotFoundException(`no dead letter ${id}`);
    return result;
  }
}
