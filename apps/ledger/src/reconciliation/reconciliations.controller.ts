import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UnprocessableEntityException, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { jsonBody } from '../http/json-body';
import { ReconcileLockedError, ReconcileOverBudgetError, ReconcileRequest, ReconcileRequestError } from './reconciler';
import { ReconciliationNotConfiguredError } from './reconciliation.service';
import { PlanReconciliationQuery } from './plan-reconciliation.query';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { GetReconciliationQuery } from './get-reconciliation.query';
import { ListReconciliationsQuery } from './list-reconciliations.query';
import {
  ApiErrorDto,
  ReconciliationListDto,
  ReconciliationPlanDto,
  ReconciliationReportDto,
  StartedReconciliationDto,
  StartReconciliationBody,
} from './reconciliation.dto';
import { decodeRunCursor, ListReconciliationsParams, RUN_ID } from './reconciliations.params';
import { StartReconciliationCommand } from './start-reconciliation.command';

const NOT_FOUND = 'Admin API off (no ADMIN_TOKEN), reconciliation not configured (no VOUCHERIFY_APP_ID / VOUCHERIFY_SECRET_KEY), or no such run';

/**
 * Reconciliation with Voucherify's API (docs/operations.md, "Reconciliation with Voucherify"). The shapes are read by the
 * operator console: keep them stable.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin/reconciliations')
@ApiResponse({ status: 401, description: 'Missing or wrong admin bearer token', type: ApiErrorDto })
@ApiResponse({ status: 404, description: NOT_FOUND, type: ApiErrorDto })
export class ReconciliationsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('plan')
  @HttpCode(200)
  @ApiOperation({ summary: "What a run of these options would read from Voucherify and the calls and time it would take; calls nothing (the console's confirmation)" })
  @ApiBody({ type: StartReconciliationBody })
  @ApiResponse({ status: 200, type: ReconciliationPlanDto })
  @ApiResponse({ status: 400, description: 'Invalid body, or a card whose campaign the ledger does not know (name campaign_ids)', type: ApiErrorDto })
  async plan(@Body() raw: unknown): Promise<ReconciliationPlanDto> {
    const request = requestOf(await jsonBody(raw, StartReconciliationBody));
    try {
      return await this.queryBus.execute(new PlanReconciliationQuery(request));
    } catch (error) {
      throw this.translate(error);
    }
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a reconciliation in the background (the interrupted run of the same options is resumed)' })
  @ApiBody({ type: StartReconciliationBody })
  @ApiResponse({ status: 202, description: 'Started; follow it with GET /admin/reconciliations/{id}', type: StartedReconciliationDto })
  @ApiResponse({ status: 400, description: 'Invalid body, or a card whose campaign the ledger does not know (name campaign_ids)', type: ApiErrorDto })
  @ApiResponse({ status: 409, description: 'Another run holds one of the campaigns; the message names it', type: ApiErrorDto })
  @ApiResponse({ status: 422, description: "The plan needs more Voucherify calls than max_calls allows; the message gives the estimate (see POST /admin/reconciliations/plan)", type: ApiErrorDto })
  async start(@Body() raw: unknown): Promise<StartedReconciliationDto> {
    const request = requestOf(await jsonBody(raw, StartReconciliationBody));
    try {
      const run = await this.commandBus.execute(new StartReconciliationCommand(request));
      return { id: run.id, run };
    } catch (error) {
      throw this.translate(error);
    }
  }

  @Get()
  @ApiOperation({ summary: 'Reconciliation runs, newest first (without the per card report)' })
  @ApiResponse({ status: 200, type: ReconciliationListDto })
  @ApiResponse({ status: 400, description: 'Invalid limit or cursor', type: ApiErrorDto })
  async list(@Query() params: ListReconciliationsParams): Promise<ReconciliationListDto> {
    try {
      return await this.queryBus.execute(new ListReconciliationsQuery(params.limit, decodeRunCursor(params.cursor)));
    } catch (error) {
      throw this.translate(error);
    }
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run: options, progress, summary and the cards that differ' })
  @ApiResponse({ status: 200, type: ReconciliationReportDto })
  @ApiResponse({ status: 400, description: 'The id is not a UUID', type: ApiErrorDto })
  async get(@Param('id') id: string): Promise<ReconciliationReportDto> {
    if (typeof id !== 'string' || !RUN_ID.test(id)) throw new BadRequestException('id must be a run id (a lowercase UUID)');
    const run = await this.queryBus.execute(new GetReconciliationQuery(id)).catch((error) => {
      throw this.translate(error);
    });
    if (!run) throw new NotFoundException(`no reconciliation ${id}`);
    return run;
  }

  private translate(error: unknown): unknown {
    if (error instanceof ReconciliationNotConfiguredError) return new NotFoundException(error.message);
    if (error instanceof ReconcileLockedError) return new ConflictException(error.message);
    if (error instanceof ReconcileRequestError) return new BadRequestException(error.message);
    if (error instanceof ReconcileOverBudgetError) return new UnprocessableEntityException(error.message);
    return error;
  }
}

function requestOf(body: StartReconciliationBody): ReconcileRequest {
  return {
    campaignIds: body.campaign_ids ?? [],
    cardIds: body.card_ids ?? [],
    gapsOnly: body.gaps_only ?? false,
    since: body.since ? new Date(body.since).toISOString() : null,
    backfill: body.backfill ?? false,
    maxCalls: body.max_calls,
  };
}
