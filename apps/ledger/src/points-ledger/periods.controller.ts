import { Body, ConflictException, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MIN_POSITION_HEADER, MinPositionGuard } from '../http/min-position.guard';
import { ApiErrorResponses } from '../http/api-error.dto';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { jsonBody } from '../http/json-body';
import { MonthParam } from '../http/validation/param-pipes';
import { ClosePeriodCommand, PeriodChangeError, ReopenPeriodCommand } from './period-closing.command';
import { PeriodChangeDto, ReopenPeriodBody } from './periods.dto';

/** Closing a month keeps its period report as it stood; reopening gives it back to the live figures (closed-periods.ts). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin/periods')
export class PeriodsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':month/close')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close a month: its period report stays as it stands now, with the log position and chain head it was computed at',
    description:
      'Later changes dated inside it are booked in the first open month after it as prior-period adjustments. ' +
      'Send X-Min-Position with the last position you stored to close over it. 409 when the month has not ended or is closed already.',
  })
  @ApiErrorResponses(400, 401, 409, 503)
  @ApiHeader({ name: MIN_POSITION_HEADER, required: false, description: 'Close only once the read models have applied this log position' })
  @UseGuards(MinPositionGuard)
  @ApiOkResponse({ type: PeriodChangeDto })
  async close(@MonthParam('month') month: string): Promise<PeriodChangeDto> {
    return this.run(new ClosePeriodCommand(month, new Date()));
  }

  @Post(':month/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a closed month: its report is live again, and says it was reopened, when and why. 409 when it is not closed.' })
  @ApiErrorResponses(400, 401, 409, 415, 503)
  @ApiBody({ type: ReopenPeriodBody })
  @ApiOkResponse({ type: PeriodChangeDto })
  async reopen(@MonthParam('month') month: string, @Body() raw: unknown): Promise<PeriodChangeDto> {
    const body = await jsonBody(raw, ReopenPeriodBody);
    return this.run(new ReopenPeriodCommand(month, body.reason));
  }

  private async run(command: ClosePeriodCommand | ReopenPeriodCommand): Promise<PeriodChangeDto> {
    try {
      return await this.commandBus.execute(command);
    } catch (error) {
      if (error instanceof PeriodChangeError) throw new ConflictException(error.message);
      throw error;
    }
  }
}
