/**
 * The NestJS + TypeORM peer (BENCH_SCENARIOS=peers): the job as the NestJS docs would have a user
 * write it. Express (Nest's default), `rawBody: true` for the HMAC, an entity saved with
 * `repository.save()` per request (TypeORM wraps it in its own transaction), dedup by a unique
 * index on the event id (a unique violation is the duplicate), answer after the commit.
 */
import 'reflect-metadata';
import { Body, Controller, Headers, HttpCode, HttpException, Injectable, Module, Post, RawBodyRequest, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { Column, Entity, Index, PrimaryGeneratedColumn, QueryFailedError, Repository } from 'typeorm';
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
  async receive(@Req() request: RawBodyRequest<Request>, @Headers('x-voucherify-signature') signature: string, @Body() body: any, @Res({ passthrough: true }) response: Response) {
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
    TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL, entities: [WebhookEvent], synchronize: false, logging: false }),
    TypeOrmModule.forFeature([WebhookEvent]),
  ],
  controllers: [WebhooksController],
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
