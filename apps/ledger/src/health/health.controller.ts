import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LiveDto } from './health.dto';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DatabaseHealthIndicator } from './database.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (no dependency checked)' })
  @ApiOkResponse({ type: LiveDto })
  live(): LiveDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Ready to serve: database reachable and every migration applied' })
  async ready(@Res() reply: FastifyReply) {
    try {
      reply.send(await this.health.check([() => this.database.reachable(), () => this.database.migrated()]));
    } catch (error) {
      // Terminus throws its full report inside a 503; pass the report through unchanged.
      if (error instanceof ServiceUnavailableException) reply.status(503).send(error.getResponse());
      else throw error;
    }
  }
}
