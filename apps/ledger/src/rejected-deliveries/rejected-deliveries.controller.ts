import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../http/api-error.dto';
import { boundedTimeRange } from '../http/validation/time-range';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { CountRefusalsQuery } from './count-refusals.query';
import { ListRejectedDeliveriesQuery } from './list-rejected-deliveries.query';
import { RefusalCountsParams, RejectedDeliveriesParams } from './rejected-deliveries.params';
import { RefusalCountsDto, RejectedDeliveryPageDto } from './rejected-delivery.dto';
import { decodeRejectionCursor, RejectionCursor } from './rejected-delivery-cursor';

const HOUR_MS = 3_600_000;

/** Why Voucherify (or anyone) was turned away: the kept refusals, and refusals counted per minute. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@ApiErrorResponses(401, 404, 503)
@Controller('admin/rejected-deliveries')
export class RejectedDeliveriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Refused deliveries of signed senders, newest first',
    description: 'Each with its reason, time, kept headers and the first KiB of its body; follow next_cursor for older ones.',
  })
  @ApiOkResponse({ type: RejectedDeliveryPageDto })
  @ApiErrorResponses(400)
  list(@Query() params: RejectedDeliveriesParams): Promise<RejectedDeliveryPageDto> {
    const after = params.cursor ? (decodeRejectionCursor(params.cursor) as RejectionCursor) : undefined;
    return this.queryBus.execute(
      new ListRejectedDeliveriesQuery({ reason: params.reason, status: params.status, from: params.from, to: params.to, limit: params.limit, after }),
    );
  }

  @Get('counts')
  @ApiOperation({
    summary: 'Refusals per minute, reason and status (unauthenticated ones are only counted here)',
    description: 'Default: the last 24 hours; at most 7 days. Minutes without refusals are left out.',
  })
  @ApiOkResponse({ type: RefusalCountsDto })
  @ApiErrorResponses(400)
  async counts(@Query() params: RefusalCountsParams): Promise<RefusalCountsDto> {
    const range = boundedTimeRange(params.from, params.to, 24 * HOUR_MS, 7 * 24 * HOUR_MS);
    const data = await this.queryBus.execute(new CountRefusalsQuery(range));
    return { from: range.from.toISOString(), to: range.to.toISOString(), data };
  }
}
