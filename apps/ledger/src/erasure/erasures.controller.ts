import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { ApiErrorDto } from '../http/api-error.dto';
import { jsonBody } from '../http/json-body';
import { IsBoundedInteger } from '../http/validation/param-decorators';
import { SafeTextParam } from '../http/validation/param-pipes';
import { ErasureDto, ErasureListDto, ErasurePreviewBody, ErasurePreviewDto, ErasureRequestBody } from './erasure.dto';
import { ErasureService } from './erasure.service';
import { ErasureRequestError } from './erasures';

class ListErasuresParams {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @IsBoundedInteger(1, 500)
  limit = 100;
}

/**
 * Erasure of a customer's personal data (docs/security.md, "Erasure"): from the log, the refused
 * deliveries and the read models, the chain still provable. The operator console reads these shapes.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin/erasures')
@ApiResponse({ status: 401, description: 'Missing or wrong admin bearer token', type: ApiErrorDto })
export class ErasuresController {
  constructor(private readonly erasures: ErasureService) {}

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'What erasing this customer would remove, counted; changes nothing' })
  @ApiBody({ type: ErasurePreviewBody })
  @ApiResponse({ status: 200, type: ErasurePreviewDto })
  @ApiResponse({ status: 400, description: 'Invalid body', type: ApiErrorDto })
  @ApiResponse({ status: 404, description: 'The ledger has never seen this customer (or the admin API is off)', type: ApiErrorDto })
  async preview(@Body() raw: unknown): Promise<ErasurePreviewDto> {
    const body = await jsonBody(raw, ErasurePreviewBody);
    return this.erasures.preview(body.customer).catch(translate);
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: "Erase a customer's personal data, in the background; follow it with GET /admin/erasures/{id}" })
  @ApiBody({ type: ErasureRequestBody })
  @ApiResponse({ status: 202, type: ErasureDto })
  @ApiResponse({ status: 400, description: 'Invalid body', type: ApiErrorDto })
  @ApiResponse({ status: 404, description: 'The ledger has never seen this customer (or the admin API is off)', type: ApiErrorDto })
  @ApiResponse({ status: 409, description: 'The customer is already erased, or being erased; the message names the erasure', type: ApiErrorDto })
  async request(@Body() raw: unknown): Promise<ErasureDto> {
    const body = await jsonBody(raw, ErasureRequestBody);
    return this.erasures.request(body.customer, body.reason).catch(translate);
  }

  @Get()
  @ApiOperation({ summary: 'Erasures, newest first' })
  @ApiResponse({ status: 200, type: ErasureListDto })
  @ApiResponse({ status: 400, description: 'Invalid limit', type: ApiErrorDto })
  async list(@Query() params: ListErasuresParams): Promise<ErasureListDto> {
    return { data: await this.erasures.list(params.limit) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One erasure: its state, and once done what it removed and its record on the chain' })
  @ApiResponse({ status: 200, type: ErasureDto })
  @ApiResponse({ status: 404, description: 'No such erasure (or the admin API is off)', type: ApiErrorDto })
  async get(@SafeTextParam('id') id: string): Promise<ErasureDto> {
    const erasure = await this.erasures.get(id);
    if (!erasure) throw new NotFoundException(`no erasure ${id}`);
    return erasure;
  }
}

function translate(error: unknown): never {
  if (error instanceof ErasureRequestError) {
    if (error.kind === 'unknown_customer') throw new NotFoundException(error.message);
    throw new ConflictException(error.message);
  }
  throw error;
}
