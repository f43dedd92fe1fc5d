import { BadRequestException, Get, Headers, NotFoundException, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiProduces } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { ApiErrorDto } from '../http/api-error.dto';
import { CardAsOfDto, LoyaltyCardDto } from '../points-ledger/ledger.dto';
import { VoucherHoldingListDto } from '../voucher-holdings/voucher.dto';
import { RewardRedemptionListDto } from '../reward-redemptions/reward-redemption.dto';
import { LoyaltyTierListDto } from '../loyalty-tiers/loyalty-tier.dto';
import { CustomerDto, CustomerSearchPageDto, PointsHistoryPageDto } from './customer.dto';
import { decodeSearchCursor, SearchCursor, SearchCustomersQuery } from './search-customers.query';
import { SafeTextParam } from '../http/validation/param-pipes';
import { AsOfParams } from '../points-ledger/ledger.params';
import { ReadApiController } from '../http/read-api-controller.decorator';
import { wantsCsv } from '../http/csv';
import { PointsHistoryParams, RewardRedemptionsParams, SearchCustomersParams, StatementParams, VoucherHoldingsParams } from './customer.params';
import { CustomerStatementDto } from './customer-statement.dto';
import { CustomerStatementQuery, statementCsv } from './customer-statement.query';
import { GetCustomerQuery } from './get-customer.query';
import { ListLoyaltyCardsQuery } from '../loyalty-cards/list-loyalty-cards.query';
import { ListRewardRedemptionsQuery } from '../reward-redemptions/list-reward-redemptions.query';
import { ListVoucherHoldingsQuery } from '../voucher-holdings/list-voucher-holdings.query';
import { PointsHistoryQuery } from '../points-ledger/points-history.query';
import { InvalidCursorError } from '../points-ledger/points-history-cursor';
import { ListLoyaltyTiersQuery } from '../loyalty-tiers/list-loyalty-tiers.query';
import { GetCustomerAsOfQuery } from './get-customer-as-of.query';
import { ListCardsAsOfQuery } from '../loyalty-cards/list-cards-as-of.query';

@ReadApiController('customers')
@ApiNotFoundResponse({ type: ApiErrorDto, description: 'The ledger has never seen this customer (id or source_id)' })
@ApiExtraModels(LoyaltyCardDto, CardAsOfDto)
export class CustomersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Find customers by part of an email, name, phone, source id, card code or id',
    description: 'Case-insensitive, anywhere in a word, from trigram indexes; paged. An erased customer is not found by the values erasure removed.',
  })
  @ApiOkResponse({ type: CustomerSearchPageDto })
  async search(@Query() params: SearchCustomersParams): Promise<CustomerSearchPageDto> {
    // Spaces around the text are not part of it: three characters of it, at least, are what the index can serve.
    if (params.q.trim().length < 3) throw new BadRequestException('q must be at least 3 characters besides spaces');
    const after = params.cursor ? (decodeSearchCursor(params.cursor) as SearchCursor) : undefined;
    return this.queryBus.execute(new SearchCustomersQuery(params.q, params.limit, after));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A customer (cust_... id or source_id) with loyalty totals over their cards',
    description: 'With as_of: the totals as they stood at that source time, from the ledger (zeros before the first entry).',
  })
  @ApiOkResponse({ type: CustomerDto })
  async get(@SafeTextParam('id') id: string, @Query() params: AsOfParams) {
    if (params.as_of) return found(id, await this.queryBus.execute(new GetCustomerAsOfQuery(id, params.as_of)));
    return found(id, await this.queryBus.execute(new GetCustomerQuery(id)));
  }

  @Get(':id/statement')
  @ApiOperation({
    summary: "A customer's statement for a period: per card, the opening balance, every entry with its reason, the closing balance, pending points",
    description: 'Names the log position and chain head it was computed at, so the same statement can be proven later. JSON, or CSV with format=csv or Accept: text/csv.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiExtraModels(CustomerStatementDto)
  @ApiOkResponse({
    description: 'JSON, or CSV with format=csv or Accept: text/csv',
    content: { 'application/json': { schema: { $ref: getSchemaPath(CustomerStatementDto) } }, 'text/csv': { schema: { type: 'string' } } },
  })
  async statement(
    @SafeTextParam('id') id: string,
    @Query() params: StatementParams,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (Date.parse(params.from) >= Date.parse(params.to)) throw new BadRequestException('from must be before to');
    const statement = found(id, await this.queryBus.execute(new CustomerStatementQuery(id, params.from, params.to)));
    if (!wantsCsv(params.format, accept)) return statement;
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="statement-${statement.customer_id.replace(/[^A-Za-z0-9_.-]/g, "_")}-${params.from.slice(0, 10)}-${params.to.slice(0, 10)}.csv"`);
    return statementCsv(statement);
  }

  @Get(':id/loyalty-cards')
  @ApiOperation({
    summary: "The customer's loyalty cards, each at its newest snapshot by source time",
    description: 'With as_of: the cards that had ledger entries at that source time, with their balances then.',
  })
  @ApiOkResponse({
    description: 'Without as_of: each card at its newest snapshot; with as_of: each card as it stood then',
    schema: {
      type: 'object',
      required: ['data'],
      properties: { data: { type: 'array', items: { oneOf: [{ $ref: getSchemaPath(LoyaltyCardDto) }, { $ref: getSchemaPath(CardAsOfDto) }] } } },
    },
  })
  async loyaltyCards(@SafeTextParam('id') id: string, @Query() params: AsOfParams) {
    if (params.as_of) return { data: found(id, await this.queryBus.execute(new ListCardsAsOfQuery(id, params.as_of))) };
    return { data: found(id, await this.queryBus.execute(new ListLoyaltyCardsQuery(id))) };
  }

  @Get(':id/points-history')
  @ApiOperation({ summary: 'Changes on the customer’s cards, newest first, cursor-paginated' })
  @ApiOkResponse({ type: PointsHistoryPageDto })
  async pointsHistory(@SafeTextParam('id') id: string, @Query() params: PointsHistoryParams) {
    try {
      const page = await this.queryBus.execute(
        new PointsHistoryQuery({ customerId: id, voucherId: params.voucher_id, limit: params.limit, cursor: params.cursor }),
      );
      return found(id, page);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  @Get(':id/reward-redemptions')
  @ApiOperation({ summary: "The customer's reward redemptions with their state transitions" })
  @ApiOkResponse({ type: RewardRedemptionListDto })
  async rewardRedemptions(@SafeTextParam('id') id: string, @Query() params: RewardRedemptionsParams) {
    return { data: found(id, await this.queryBus.execute(new ListRewardRedemptionsQuery(id, params.state))) };
  }

  @Get(':id/loyalty-tiers')
  @ApiOperation({ summary: "The customer's tier per loyalty campaign (the newest change by source time) with its history" })
  @ApiOkResponse({ type: LoyaltyTierListDto })
  async loyaltyTiers(@SafeTextParam('id') id: string) {
    return { data: found(id, await this.queryBus.execute(new ListLoyaltyTiersQuery(id))) };
  }

  @Get(':id/vouchers')
  @ApiOperation({ summary: 'Every voucher the customer holds' })
  @ApiOkResponse({ type: VoucherHoldingListDto })
  async vouchers(@SafeTextParam('id') id: string, @Query() params: VoucherHoldingsParams) {
    return { data: found(id, await this.queryBus.execute(new ListVoucherHoldingsQuery(id, params.status))) };
  }
}

/** A customer query's answer, or 404 when the ledger has never seen that id or source_id. */
function found<T>(idOrSourceId: string, answer: T | null): T {
  if (answer === null) throw new NotFoundException(`no customer with id or source_id ${idOrSourceId}`);
  return answer;
}
