import { Get, NotFoundException, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { ApiErrorDto } from '../http/api-error.dto';
import { CardAsOfDto, LedgerGapListDto, LedgerPageDto, LoyaltyCardDto, PendingMovementPageDto } from '../points-ledger/ledger.dto';
import { SafeTextParam } from '../http/validation/param-pipes';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { decodeEntryCursor, EntryCursor } from '../points-ledger/ledger-cursors';
import { AsOfParams, LedgerPageParams } from '../points-ledger/ledger.params';
import { CardGapsQuery } from '../points-ledger/card-gaps.query';
import { GetCardAsOfQuery } from '../points-ledger/get-card-as-of.query';
import { GetLoyaltyCardQuery } from './get-loyalty-card.query';
import { ListLedgerEntriesQuery } from '../points-ledger/list-ledger-entries.query';
import { ListPendingMovementsQuery } from '../points-ledger/list-pending-movements.query';

@ReadApiController('loyalty-cards')
@ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such card (or, with as_of, no ledger entry or pending movement by then)' })
@ApiExtraModels(LoyaltyCardDto, CardAsOfDto)
export class LoyaltyCardsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':idOrCode')
  @ApiOperation({
    summary: 'A loyalty card (voucher id or code) with its status and balances',
    description: 'With as_of: the balances as they stood at that source time, from the ledger (404 when the card had no entry yet).',
  })
  @ApiOkResponse({
    description: 'Without as_of: the card at its newest snapshot; with as_of: as it stood then',
    schema: { oneOf: [{ $ref: getSchemaPath(LoyaltyCardDto) }, { $ref: getSchemaPath(CardAsOfDto) }] },
  })
  async get(@SafeTextParam('idOrCode') idOrCode: string, @Query() params: AsOfParams) {
    if (params.as_of) {
      const card = await this.queryBus.execute(new GetCardAsOfQuery(idOrCode, params.as_of));
      if (!card) throw new NotFoundException(`no loyalty card ${idOrCode} had a ledger entry at ${params.as_of}`);
      return card;
    }
    const card = await this.queryBus.execute(new GetLoyaltyCardQuery(idOrCode));
    if (!card) throw new NotFoundException(`no loyalty card with id or code ${idOrCode}`);
    return card;
  }

  @Get(':idOrCode/ledger')
  @ApiOperation({
    summary: "The card's ledger entries, newest first",
    description: 'One entry per Voucherify transaction, and derived entries for changes seen only in snapshots. `from` inclusive, `to` exclusive.',
  })
  @ApiOkResponse({ type: LedgerPageDto })
  async ledger(@SafeTextParam('idOrCode') idOrCode: string, @Query() params: LedgerPageParams) {
    const voucherId = await this.voucherIdOf(idOrCode);
    const before = params.cursor ? (decodeEntryCursor(params.cursor) as EntryCursor) : undefined;
    return this.queryBus.execute(new ListLedgerEntriesQuery({ voucherId, from: params.from, to: params.to, limit: params.limit, before }));
  }

  @Get(':idOrCode/pending-points')
  @ApiOperation({
    summary: "The card's pending ledger, newest first",
    description:
      'Each movement of its pending points (a `lopp_` entry added, updated, cancelled, activated), once whichever twins reported it, with the pending points after it. `from` inclusive, `to` exclusive.',
  })
  @ApiOkResponse({ type: PendingMovementPageDto })
  async pendingPoints(@SafeTextParam('idOrCode') idOrCode: string, @Query() params: LedgerPageParams) {
    const voucherId = await this.voucherIdOf(idOrCode);
    const before = params.cursor ? (decodeEntryCursor(params.cursor) as EntryCursor) : undefined;
    return this.queryBus.execute(new ListPendingMovementsQuery({ voucherId, from: params.from, to: params.to, limit: params.limit, before }));
  }

  @Get(':idOrCode/gaps')
  @ApiOperation({ summary: "The card's open gaps: where its balance chain breaks because a webhook is missing" })
  @ApiOkResponse({ type: LedgerGapListDto })
  async gaps(@SafeTextParam('idOrCode') idOrCode: string) {
    const voucherId = await this.voucherIdOf(idOrCode);
    return this.queryBus.execute(new CardGapsQuery(voucherId));
  }

  /** The card's voucher id: by id or code among the cards, else an id the ledger alone knows. */
  private async voucherIdOf(idOrCode: string): Promise<string> {
    const card = await this.queryBus.execute(new GetLoyaltyCardQuery(idOrCode));
    if (card) return card.voucher_id;
    const page = await this.queryBus.execute(new ListLedgerEntriesQuery({ voucherId: idOrCode, limit: 1 }));
    if (page.data.length === 0) throw new NotFoundException(`no loyalty card with id or code ${idOrCode}`);
    return idOrCode;
  }
}
