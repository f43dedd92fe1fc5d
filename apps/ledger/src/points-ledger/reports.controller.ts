import { BadRequestException, ConflictException, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, getSchemaPath } from '@nestjs/swagger';
import { PeriodClosingListDto, PointsReportDto } from './ledger.dto';
import { PeriodClosedError } from './closed-periods';
import { ListClosedPeriodsQuery } from './list-closed-periods.query';
import type { FastifyReply } from 'fastify';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { wantsCsv } from '../http/csv';
import { PointsReportParams, RedemptionTriangleParams } from './ledger.params';
import { RedemptionTriangleDto } from './deferred-revenue.dto';
import { GetRedemptionTriangleQuery, TriangleRangeError } from './get-redemption-triangle.query';
import { GetPointsReportQuery } from './get-points-report.query';
import { pointsReportCsv } from './points-report';

@ReadApiController('reports')
export class ReportsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('points')
  @ApiOperation({
    summary: 'Points of a period per campaign: opening balance, movements by kind, closing balance, liability',
    description:
      'opening_balance + Σ movements = closing_balance, exactly. `unexplained` holds the points of the gaps in the period. ' +
      'Liability is balance × the point value in force at each end (PUT /admin/campaigns/{id}/point-value), as decimal strings. ' +
      'A closed month (POST /admin/periods/{month}/close) answers the report kept at its closing; a range across a closed month is refused (409); ' +
      'the first open month after closed ones books what changed in them since as prior_period_adjustment.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiExtraModels(PointsReportDto)
  @ApiOkResponse({
    description: 'JSON, or CSV with format=csv or Accept: text/csv',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(PointsReportDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async points(@Query() params: PointsReportParams, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    if (Date.parse(params.from) >= Date.parse(params.to)) throw new BadRequestException('from must be before to');
    const report = await this.queryBus
      .execute(new GetPointsReportQuery({ from: params.from, to: params.to, campaignId: params.campaign_id, expiryBasis: params.expiry_basis ?? 'booked' }))
      .catch((error: unknown) => {
        throw error instanceof PeriodClosedError ? new ConflictException(error.message) : error;
      });
    if (!wantsCsv(params.format, accept)) return report;
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="points-${params.from.slice(0, 10)}-${params.to.slice(0, 10)}.csv"`);
    return pointsReportCsv(report);
  }

  @Get('periods')
  @ApiOperation({ summary: 'Every month ever closed, newest first: closed (its report is the one kept) or reopened' })
  @ApiOkResponse({ type: PeriodClosingListDto })
  async periods(): Promise<PeriodClosingListDto> {
    return { data: await this.queryBus.execute(new ListClosedPeriodsQuery()) };
  }

  @Get('redemption-triangle')
  @ApiOperation({
    summary: "How past points behaved: for the points issued in each month, the shares redeemed and expired since, beside the estimate's expected share",
    description:
      "Each card's spending and expiries take its oldest points first (first in, first out). Expiries count in the month they were due. " +
      'Compare a row\'s last redeemed_share with estimate.expected_redemption_share (docs/deferred-revenue.md).',
  })
  @ApiOkResponse({ type: RedemptionTriangleDto })
  async redemptionTriangle(@Query() params: RedemptionTriangleParams): Promise<RedemptionTriangleDto> {
    try {
      return await this.queryBus.execute(new GetRedemptionTriangleQuery(params.campaign_id, { from: params.from, to: params.to, now: new Date() }));
    } catch (error) {
      if (error instanceof TriangleRangeError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
