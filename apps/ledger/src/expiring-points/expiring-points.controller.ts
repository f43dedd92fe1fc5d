import { Body, ConflictException, Controller, Get, Headers, HttpCode, Post, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorResponses } from '../http/api-error.dto';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { csvTable, wantsCsv } from '../http/csv';
import { jsonBody } from '../http/json-body';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { ReconciliationNotConfiguredError } from '../reconciliation/reconciliation.service';
import { ExpiringPointsDto, ExpiringPointsParams, RefreshExpiringPointsBody, RefreshStartedDto } from './expiring-points.dto';
import { ExpiringPointsBusyError, ExpiringPointsService } from './expiring-points.service';
import { GetExpiringPointsQuery } from './get-expiring-points.query';

const CSV_COLUMNS = ['campaign_id', 'voucher_id', 'code', 'month', 'points', 'source', 'read_at'] as const;

@ReadApiController('reports')
export class ExpiringPointsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('expiring-points')
  @ApiOperation({
    summary: 'What will expire: per campaign, the points due to expire by month from today, and when the figures were read',
    description:
      "From Voucherify's point buckets where they were read (POST /admin/expiring-points/refresh, or every EXPIRING_POINTS_REFRESH_HOURS with Voucherify configured); " +
      "otherwise from the webhooks: each card's next expiry only, a lower bound. The CSV has one row per card and month.",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiExtraModels(ExpiringPointsDto)
  @ApiOkResponse({
    description: 'JSON, or CSV with format=csv or Accept: text/csv',
    content: { 'application/json': { schema: { $ref: getSchemaPath(ExpiringPointsDto) } }, 'text/csv': { schema: { type: 'string' } } },
  })
  async expiringPoints(@Query() params: ExpiringPointsParams, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const csv = wantsCsv(params.format, accept);
    const { report, cards } = await this.queryBus.execute(new GetExpiringPointsQuery(params.campaign_id, params.months, new Date(), csv));
    if (!csv) return report;
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="expiring-points-${report.from.slice(0, 10)}.csv"`);
    return csvTable(CSV_COLUMNS, cards as unknown as Record<string, unknown>[], new Set(['campaign_id', 'voucher_id', 'code']));
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin/expiring-points')
export class ExpiringPointsAdminController {
  constructor(private readonly service: ExpiringPointsService) {}

  @Post('refresh')
  @HttpCode(202)
  @ApiOperation({
    summary: "Read the campaigns' point buckets from Voucherify again, in the background: one points-expiration export a campaign (about four calls)",
    description: '409 when Voucherify is not configured or a read is under way. GET /reports/expiring-points shows each campaign\'s read_at once its read is done.',
  })
  @ApiBody({ type: RefreshExpiringPointsBody, required: false })
  @ApiErrorResponses(400, 401, 409, 415, 503)
  @ApiResponse({ status: 202, type: RefreshStartedDto })
  async refresh(@Body() raw: unknown): Promise<RefreshStartedDto> {
    const body = raw === undefined || raw === null ? new RefreshExpiringPointsBody() : await jsonBody(raw, RefreshExpiringPointsBody);
    try {
      return { campaign_ids: await this.service.refresh(body.campaign_ids ?? []) };
    } catch (error) {
      if (error instanceof ReconciliationNotConfiguredError || error instanceof ExpiringPointsBusyError) throw new ConflictException(error.message);
      throw error;
    }
  }
}
