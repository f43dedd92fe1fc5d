import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { LedgerConfig } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';
import { DeliveriesHealthDto } from './deliveries-health.dto';
import { LiveDto } from './health.dto';
import { lastDeliveries } from '@ledger/event-store';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DatabaseHealthIndicator } from './database.health';

/** The probes answer without a token (uptime checkers, orchestrators): no security requirement. */
const PUBLIC: [] = [];

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly config: LedgerConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /**
   * Whether Voucherify still delivers: `silent` when a project that delivered before has sent
   * nothing for WEBHOOK_SILENCE_MINUTES (Voucherify disables a webhook after 12 failed deliveries
   * and tells no one). 503 then, for uptime checkers; /health/ready is not affected.
   */
  @Get('deliveries')
  @ApiOperation({ summary: 'ok, or silent when a Voucherify project stopped delivering webhooks (503)', security: PUBLIC })
  @ApiResponse({ status: 200, type: DeliveriesHealthDto })
  @ApiResponse({ status: 503, type: DeliveriesHealthDto, description: 'silent' })
  async deliveries(@Res() reply: FastifyReply) {
    const silenceMs = this.config.webhookSilenceMinutes * 60_000;
    const now = Date.now();
    const projects = (await lastDeliveries(this.pool)).map((p) => ({ ...p, silent: now - Date.parse(p.last_delivery_at) > silenceMs }));
    const silent = projects.some((p) => p.silent);
    const body: DeliveriesHealthDto = { status: silent ? 'silent' : 'ok', silence_minutes: this.config.webhookSilenceMinutes, checked_at: new Date(now).toISOString(), projects };
    reply.status(silent ? 503 : 200).send(body);
  }

  @Get('live')
  @ApiOperation({ summary: 'The process is up (no dependency checked)', security: PUBLIC })
  @ApiOkResponse({ type: LiveDto })
  live(): LiveDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Ready to serve: database reachable and every migration applied', security: PUBLIC })
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
