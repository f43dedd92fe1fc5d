import { Body, Controller, HttpCode, Put, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CURRENCY, DECIMAL, POINT_VALUE_SET, REVENUE_ESTIMATE_SET, SHARE } from '@ledger/projections';
import { ApiErrorResponses } from '../http/api-error.dto';
import { Int, Text } from '../http/openapi-props';
import { jsonBody } from '../http/json-body';
import { SafeTextParam } from '../http/validation/param-pipes';
import { IsTimeParam } from '../http/validation/time-param';
import { appendOperatorEvent } from '../ingest/operator-event';
import { AdminTokenGuard } from '../http/admin-token.guard';

class DatedSettingBody {
  @ApiProperty({ description: 'ISO 4217 currency code', example: 'EUR' })
  @Matches(CURRENCY, { message: 'currency must be a three-letter ISO 4217 code such as "EUR"' })
  currency!: string;

  @ApiProperty({ description: 'From when the setting holds (ISO 8601)', example: '2024-01-01T00:00:00Z' })
  @IsTimeParam()
  effective_from!: string;
}

export class PointValueBody extends DatedSettingBody {
  @ApiProperty({ description: 'What one point is worth, as a decimal string (up to 12 digits, 8 decimals)', example: '0.0100' })
  @Matches(DECIMAL, { message: 'value must be a decimal string such as "0.0100"' })
  value!: string;
}

export class RevenueEstimateBody extends DatedSettingBody {
  @ApiProperty({ description: 'The transaction price allocated to one point (IFRS 15), a decimal string (up to 12 digits, 8 decimals)', example: '0.0100' })
  @Matches(DECIMAL, { message: 'value_per_point must be a decimal string such as "0.0100"' })
  value_per_point!: string;

  @ApiProperty({ description: 'The share of issued points expected to be redeemed, a decimal string from 0 to 1 (up to 8 decimals)', example: '0.80' })
  @Matches(SHARE, { message: 'expected_redemption_share must be a decimal string from 0 to 1 such as "0.80"' })
  expected_redemption_share!: string;
}

class OperatorEventStoredDto {
  @Text() campaign_id!: string;
  @Text('ISO 4217', { example: 'EUR' }) currency!: string;
  @Text('As given (ISO 8601)') effective_from!: string;
  @Text('The operator event stored') event_id!: string;
  @Int('Its position in the log') position!: number;
}

export class PointValueSetDto extends OperatorEventStoredDto {
  @Text('Decimal string', { example: '0.0100' }) value!: string;
}

export class RevenueEstimateSetDto extends OperatorEventStoredDto {
  @Text('Decimal string', { example: '0.0100' }) value_per_point!: string;
  @Text('Decimal string from 0 to 1', { example: '0.80' }) expected_redemption_share!: string;
}

/** A campaign's dated settings, set by an operator: what a point is worth, and the revenue estimate (operator events in the log). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@ApiErrorResponses(400, 401, 404, 415, 503)
@Controller('admin/campaigns')
export class PointValuesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':campaignId/point-value')
  @HttpCode(200)
  @ApiOperation({ summary: "Set what one point of a campaign is worth from a time on (used by the period report's liability)" })
  @ApiBody({ type: PointValueBody })
  @ApiOkResponse({ type: PointValueSetDto })
  async set(@SafeTextParam('campaignId') campaignId: string, @Body() raw: unknown): Promise<PointValueSetDto> {
    const body = await jsonBody(raw, PointValueBody);
    return this.append(POINT_VALUE_SET, { campaign_id: campaignId, value: body.value, currency: body.currency, effective_from: body.effective_from });
  }

  @Put(':campaignId/revenue-estimate')
  @HttpCode(200)
  @ApiOperation({
    summary: "Set a campaign's revenue estimate from a time on (the period report's deferred revenue, IFRS 15)",
    description:
      'The value allocated to one point and the share of issued points expected to be redeemed. A new estimate applies from its time on: ' +
      'the revenue recognised before it is never restated, the period it falls in catches up (docs/deferred-revenue.md).',
  })
  @ApiBody({ type: RevenueEstimateBody })
  @ApiOkResponse({ type: RevenueEstimateSetDto })
  async setRevenueEstimate(@SafeTextParam('campaignId') campaignId: string, @Body() raw: unknown): Promise<RevenueEstimateSetDto> {
    const body = await jsonBody(raw, RevenueEstimateBody);
    return this.append(REVENUE_ESTIMATE_SET, {
      campaign_id: campaignId,
      value_per_point: body.value_per_point,
      expected_redemption_share: body.expected_redemption_share,
      currency: body.currency,
      effective_from: body.effective_from,
    });
  }

  private async append<D extends { campaign_id: string }>(type: string, data: D): Promise<D & { event_id: string; position: number }> {
    const stored = await appendOperatorEvent(this.commandBus, type, data);
    return { ...data, event_id: stored.eventId, position: stored.position };
  }
}
