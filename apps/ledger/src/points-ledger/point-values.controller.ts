import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Put, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../http/api-error.dto';
import { PointValueSetDto } from '../replay/replay.dto';
import { Matches } from 'class-validator';
import { POINT_VALUE_SET } from '@ledger/projections';
import { jsonBody } from '../http/json-body';
import { SafeTextParam } from '../http/validation/param-pipes';
import { IsTimeParam } from '../http/validation/time-param';
import { IngestCommand } from '../ingest/ingest.command';
import { AdminTokenGuard } from '../http/admin-token.guard';

export class PointValueBody {
  @ApiProperty({ description: 'What one point is worth, as a decimal string (up to 12 digits, 8 decimals)', example: '0.0100' })
  @Matches(/^\d{1,12}(\.\d{1,8})?$/, { message: 'value must be a decimal string such as "0.0100"' })
  value!: string;

  @ApiProperty({ description: 'ISO 4217 currency code', example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as "EUR"' })
  currency!: string;

  @ApiProperty({ description: 'From when the value holds (ISO 8601)', example: '2024-01-01T00:00:00Z' })
  @IsTimeParam()
  effective_from!: string;
}

/**
 * What a point is worth, set by an operator. Stored in the log itself as an operator event
 * (`ledger.point_value.set`, signature status `operator`), so a replay rebuilds it like
 * everything else; no webhook can pass for one (the ingest refuses `ledger.*` types from them).
 */
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
  async set(@SafeTextParam('campaignId') campaignId: string, @Body() raw: unknown) {
    const body = await jsonBody(raw, PointValueBody);
    const now = new Date().toISOString();
    const data = { campaign_id: campaignId, value: body.value, currency: body.currency, effective_from: body.effective_from };
    const event = {
      id: `opd_${randomUUID()}`,
      created_at: now,
      type: POINT_VALUE_SET,
      data,
      event: { id: `evop_${randomUUID()}`, type: POINT_VALUE_SET, created_at: now },
    };
    const result = await this.commandBus.execute(new IngestCommand(Buffer.from(JSON.stringify(event)), { kind: 'operator' }));
    // A fresh event id and a body built here: anything but appended is a bug of ours (500).
    if (result.outcome !== 'appended') throw new Error(`the point value event was not stored: ${result.outcome}`);
    return { ...data, event_id: result.eventId, position: result.position };
  }
}
