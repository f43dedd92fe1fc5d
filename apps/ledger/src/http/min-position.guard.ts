import { BadRequestException, CanActivate, ExecutionContext, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { CheckpointProgress, progressPast } from '@ledger/event-store';
import { ALL_READ_MODELS } from '@ledger/projections';
import { LedgerConfig } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';

export const MIN_POSITION_HEADER = 'x-min-position';
const POLL_MS = 20;

/**
 * Read-your-webhook: a read that sends `X-Min-Position: <position from the ingest answer>`
 * waits until every projection has applied that event, or answers 503 with where they stand.
 * Passing is judged in the projectors' own (transaction_id, position) order, not by position alone.
 * A guard rather than an interceptor: it only has to hold the request back, and a guard costs a
 * plain function call on the reads that do not send the header (an interceptor wraps every
 * request in an observable and an async resource).
 */
@Injectable()
export class MinPositionGuard implements CanActivate {
  private readonly names = ALL_READ_MODELS.map((m) => m.name);

  constructor(
    private readonly config: LedgerConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  canActivate(context: ExecutionContext): true | Promise<true> {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers[MIN_POSITION_HEADER];
    if (header === undefined) return true;
    if (typeof header !== 'string' || !/^\d{1,15}$/.test(header.trim())) {
      throw new BadRequestException(`${MIN_POSITION_HEADER} must be a non-negative integer position`);
    }
    return this.waitFor(Number(header)).then(() => true);
  }

  private async waitFor(position: number): Promise<void> {
    const behind = await untilApplied(this.pool, this.names, position, this.config.minPositionTimeoutMs);
    if (behind === null) return;
    throw new ServiceUnavailableException({
      message: `the read models have not reached position ${position} yet`,
      // null: the projection has never run against this database.
      checkpoints: Object.fromEntries(this.names.map((name) => [name, behind.find((p) => p.projection === name)?.position ?? null])),
    });
  }
}

/** Waits until the named projections have applied `position`: null then, or where they stand when `timeoutMs` is up. */
export async function untilApplied(pool: Pool, names: string[], position: number, timeoutMs: number): Promise<CheckpointProgress[] | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressPast(pool, names, position);
    if (progress.length === names.length && progress.every((p) => p.passed)) return null;
    if (Date.now() >= deadline) return progress;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
