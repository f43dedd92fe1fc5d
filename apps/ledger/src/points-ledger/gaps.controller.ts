import { Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { LedgerGapPageDto } from './ledger.dto';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { decodeGapCursor, GapCursor } from './ledger-cursors';
import { GapsPageParams } from './ledger.params';
import { ListGapsQuery } from './list-gaps.query';

@ReadApiController('gaps')
export class GapsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Open ledger gaps of every card (or one campaign)',
    description: 'A gap is where a card’s balance chain breaks: a webhook is missing. It closes by itself when the missing transaction arrives.',
  })
  @ApiOkResponse({ type: LedgerGapPageDto })
  async list(@Query() params: GapsPageParams) {
    const after = params.cursor ? (decodeGapCursor(params.cursor) as GapCursor) : undefined;
    return this.queryBus.execute(new ListGapsQuery({ campaignId: params.campaign_id, limit: params.limit, after }));
  }
}
