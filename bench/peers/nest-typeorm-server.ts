/**
 * The NestJS + TypeORM peer (BENCH_SCENARIOS=peers): the jobs as the NestJS docs would have a user
 * write them, on Express (Nest's default).
 * - Webhooks: `rawBody: true` for the HMAC, an entity saved with `repository.save()` per request
 *   (TypeORM wraps it in its own transaction), dedup by a unique index on the event id (a unique
 *   violation is the duplicate), answer after the commit.
 * - Reads: the service's read-model tables mapped as entities, `findOne` with relations, the
 *   same JSON as the service computed in the controller (the bench checks it is the same answer).
 */
import 'reflect-metadata';
import { Body, Controller, DefaultValuePipe, Get, Headers, HttpCode, HttpException, Injectable, Module, NotFoundException, Param, ParseIntPipe, Post, Query, RawBodyRequest, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn, PrimaryGeneratedColumn, QueryFailedError, Repository } from 'typeorm';
import { announce, eventOf, signatureMatches } from './signature';

@Entity({ name: 'peer_webhook_events' })
export class WebhookEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index({ unique: true })
  @Column({ name: 'event_id', type: 'text' })
  eventId: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;
}

@Entity({ name: 'campaigns' })
export class Campaign {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  status: string;
}

@Entity({ name: 'customers' })
export class Customer {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId: string | null;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'jsonb', nullable: true })
  metadata: Record<string, unknown> | null;

  @Column({ type: 'boolean' })
  deleted: boolean;

  @Column({ name: 'source_time_untrusted', type: 'boolean' })
  sourceTimeUntrusted: boolean;

  @OneToMany(() => LoyaltyCard, (card) => card.customer)
  cards: LoyaltyCard[];
}

@Entity({ name: 'loyalty_cards' })
export class LoyaltyCard {
  @PrimaryColumn({ name: 'voucher_id', type: 'text' })
  voucherId: string;

  @Column({ name: 'customer_id', type: 'text', nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, (customer) => customer.cards, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer: Customer;

  @ManyToOne(() => Campaign, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'campaign_id' })
  campaign: Campaign | null;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'bigint', nullable: true })
  points: string | null;

  @Column({ type: 'bigint', nullable: true })
  balance: string | null;

  @Column({ name: 'redeemed_points', type: 'bigint', nullable: true })
  redeemedPoints: string | null;

  @Column({ name: 'pending_points', type: 'bigint', nullable: true })
  pendingPoints: string | null;
}

@Entity({ name: 'ledger_entries' })
export class LedgerEntry {
  @PrimaryColumn({ name: 'voucher_id', type: 'text' })
  voucherId: string;

  @PrimaryColumn({ name: 'entry_key', type: 'text' })
  entryKey: string;

  @ManyToOne(() => LoyaltyCard, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'voucher_id' })
  card: LoyaltyCard;

  @Column({ type: 'integer' }) seq: number;
  @Column({ type: 'text' }) unit: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'event_ids', type: 'jsonb' }) eventIds: string[];
  @Column({ name: 'event_type', type: 'text' }) eventType: string;
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true }) occurredAt: Date | null;
  @Column({ name: 'occurred_at_untrusted', type: 'boolean' }) occurredAtUntrusted: boolean;
  @Column({ type: 'bigint', nullable: true }) points: string | null;
  @Column({ name: 'balance_before', type: 'bigint' }) balanceBefore: string;
  @Column({ name: 'balance_after', type: 'bigint' }) balanceAfter: string;
  @Column({ name: 'gap_before', type: 'bigint' }) gapBefore: string;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'jsonb' }) related: Record<string, string>;
  @Column({ name: 'transaction_id', type: 'text', nullable: true }) transactionId: string | null;
  @Column({ name: 'transaction_type', type: 'text', nullable: true }) transactionType: string | null;
  @Column({ type: 'boolean' }) derived: boolean;
}

/** A sum over the cards: null when one amount is unreadable or the sum is past 2^53 − 1, as the service answers. */
function total(cards: LoyaltyCard[], amount: (card: LoyaltyCard) => string | null): number | null {
  let sum = 0;
  for (const card of cards) {
    const value = amount(card);
    if (value === null) return null;
    sum += Number(value);
  }
  return Number.isSafeInteger(sum) ? sum : null;
}

const int = (value: string | null) => (value === null ? null : Number(value));

@Controller('customers')
export class CustomersController {
  constructor(
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
    @InjectRepository(LedgerEntry) private readonly entries: Repository<LedgerEntry>,
  ) {}

  @Get(':id')
  async get(@Param('id') id: string) {
    const customer = await this.customers.findOne({ where: { id }, relations: { cards: { campaign: true } } });
    if (!customer) throw new NotFoundException(`no customer with id or source_id ${id}`);
    const cards = customer.cards.filter((card) => card.status !== 'deleted' && card.campaign?.status !== 'deleted');
    const totals = {
      points: total(cards, (c) => c.points),
      balance: total(cards, (c) => c.balance),
      redeemed_points: total(cards, (c) => c.redeemedPoints),
      pending_points: total(cards, (c) => c.pendingPoints),
    };
    return {
      id: customer.id,
      source_id: customer.sourceId,
      name: customer.name,
      email: customer.email,
      metadata: customer.metadata,
      deleted: customer.deleted,
      source_time_untrusted: customer.sourceTimeUntrusted,
      loyalty: { ...totals, points_unreadable: Object.values(totals).some((v) => v === null), cards: cards.length },
    };
  }

  @Get(':id/points-history')
  async pointsHistory(@Param('id') id: string, @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number) {
    if (!(await this.customers.exists({ where: { id } }))) throw new NotFoundException(`no customer with id or source_id ${id}`);
    const found = await this.entries.find({
      where: { unit: 'points', card: { customerId: id } },
      relations: { card: true },
      order: { occurredAt: { direction: 'DESC', nulls: 'LAST' }, voucherId: 'DESC', seq: 'DESC' },
      take: limit + 1,
    });
    const rows = found.slice(0, limit);
    const last = rows[rows.length - 1];
    return {
      data: rows.map((e) => ({
        voucher_id: e.voucherId,
        event_id: e.eventIds[0],
        event_type: e.eventType,
        occurred_at: e.occurredAt?.toISOString() ?? null,
        source_time_untrusted: e.occurredAtUntrusted,
        transaction_id: e.transactionId,
        transaction_type: e.transactionType,
        kind: e.kind,
        delta: int(e.points),
        balance_before: e.points === null ? null : int(e.balanceBefore),
        balance_after: e.points === null ? null : int(e.balanceAfter),
        points_unreadable: e.points === null,
        unexplained_before: int(e.gapBefore),
        reason: e.reason,
        related_id: Object.values(e.related ?? {})[0] ?? null,
        event_ids: e.eventIds,
        derived: e.derived,
      })),
      next_cursor:
        found.length > limit && last
          ? Buffer.from(JSON.stringify([last.occurredAt?.toISOString() ?? null, last.voucherId, last.seq])).toString('base64url')
          : null,
    };
  }
}

@Injectable()
export class WebhooksService {
  constructor(@InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>) {}

  /** True when stored now, false when this event id was stored before. */
  async store(id: string, type: string, payload: unknown): Promise<{ stored: boolean; position?: string }> {
    try {
      const saved = await this.events.save(this.events.create({ eventId: id, eventType: type, payload }));
      return { stored: true, position: saved.id };
    } catch (error) {
      if (error instanceof QueryFailedError && (error as any).code === '23505') return { stored: false };
      throw error;
    }
  }
}

@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('voucherify')
  @HttpCode(202)
  async receive(@Req() request: RawBodyRequest<object>, @Headers('x-voucherify-signature') signature: string, @Body() body: any, @Res({ passthrough: true }) response: { status(code: number): unknown }) {
    if (!signatureMatches(request.rawBody!, signature, process.env.WEBHOOK_SECRET!)) throw new HttpException({ code: 'invalid_signature' }, 401);
    const event = eventOf(body);
    if (!event) throw new HttpException({ code: 'invalid_envelope' }, 422);
    const result = await this.webhooks.store(event.id, event.type, body);
    if (!result.stored) response.status(200);
    return { event_id: event.id, position: result.position, duplicate: !result.stored };
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL, entities: [WebhookEvent, Campaign, Customer, LoyaltyCard, LedgerEntry], synchronize: false, logging: false }),
    TypeOrmModule.forFeature([WebhookEvent, Customer, LedgerEntry]),
  ],
  controllers: [WebhooksController, CustomersController],
  providers: [WebhooksService],
})
class PeerModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(PeerModule, { rawBody: true, logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  announce(typeof address === 'object' && address ? address.port : 0);
}

void main();
