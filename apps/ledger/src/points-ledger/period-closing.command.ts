import { Inject, ServiceUnavailableException } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { chainHead } from '@ledger/event-store';
import { ALL_READ_MODELS, closedPeriodsReadModel, PERIOD_CLOSED, PERIOD_REOPENED } from '@ledger/projections';
import { LedgerConfig } from '../config/ledger-config';
import { untilApplied } from '../http/min-position.guard';
import { trySessionLocks } from '../database/session-locks';
import { PG_POOL } from '../database/database.module';
import { appendOperatorEvent } from '../ingest/operator-event';
import { pointsReport } from './get-points-report.query';
import { monthIndex, monthStart } from './months';
import type { PeriodChangeDto } from './periods.dto';

/* Closing and reopening a month: operator events in the log (closed-periods.ts says what they do to the report). */

export class PeriodChangeError extends Error {
  constructor(
    readonly kind: 'not_ended' | 'already_closed' | 'not_closed' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'PeriodChangeError';
  }
}

export class ClosePeriodCommand extends Command<PeriodChangeDto> {
  constructor(
    readonly month: string,
    readonly now: Date,
  ) {
    super();
  }
}

export class ReopenPeriodCommand extends Command<PeriodChangeDto> {
  constructor(
    readonly month: string,
    readonly reason: string,
  ) {
    super();
  }
}

/**
 * One closing or reopening at a time, across instances, judged on a closings' read model that has
 * applied the whole log (else 503), and answered once it has applied this one too (up to
 * MIN_POSITION_TIMEOUT_MS): a second request then sees the first, and so does a report read
 * right after the answer.
 */
async function oneAtATime<T extends { position: number }>(pool: Pool, timeoutMs: number, change: () => Promise<T>): Promise<T> {
  const locks = await trySessionLocks(pool, 'ledger.periods', ['closing']);
  if ('heldBy' in locks) throw new PeriodChangeError('busy', 'another closing or reopening is under way: try again when it is done');
  try {
    // The closings' read model must hold every closing and reopening stored so far: a closing judged
    // on a stale one could miss the closed month before it, and keep a report without its adjustments.
    const { rows } = await pool.query<{ head: string | null }>(`SELECT max(global_position) AS head FROM events`);
    if ((await untilApplied(pool, [closedPeriodsReadModel.name], Number(rows[0].head ?? 0), timeoutMs)) !== null) {
      throw new ServiceUnavailableException('the closings are not up to date with the log yet (is the projector running?): try again in a moment');
    }
    const done = await change();
    // Stored: the answer says so even if the projector is slow to apply it (X-Min-Position with its position waits for it).
    await untilApplied(pool, [closedPeriodsReadModel.name], done.position, timeoutMs);
    return done;
  } finally {
    await locks.release();
  }
}

const statusOf = async (db: Pick<Pool, 'query'>, month: string) =>
  (await db.query<{ status: string }>(`SELECT status FROM closed_periods WHERE month = $1`, [month])).rows[0]?.status ?? null;

/**
 * Computes the month's report for both expiry bases in one snapshot, with the position the
 * projections had reached and the chain head of that snapshot, and appends them as the closing.
 */
@CommandHandler(ClosePeriodCommand)
export class ClosePeriodHandler implements ICommandHandler<ClosePeriodCommand> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly commandBus: CommandBus,
    private readonly config: LedgerConfig,
  ) {}

  execute({ month, now }: ClosePeriodCommand): Promise<PeriodChangeDto> {
    return oneAtATime(this.pool, this.config.minPositionTimeoutMs, () => this.close(month, now));
  }

  private async close(month: string, now: Date): Promise<PeriodChangeDto> {
    const from = monthStart(monthIndex(month));
    const to = monthStart(monthIndex(month) + 1);
    if (Date.parse(to) > now.getTime()) throw new PeriodChangeError('not_ended', `${month} has not ended yet: a month can be closed once it is over`);
    const client = await this.pool.connect();
    let closing: Record<string, unknown>;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if ((await statusOf(client, month)) === 'closed') throw new PeriodChangeError('already_closed', `${month} is closed already (reopen it first to close it again)`);
      const { rows } = await client.query<{ position: string | null }>(`SELECT min(position) AS position FROM projection_checkpoints WHERE projection = ANY($1::text[])`, [
        ALL_READ_MODELS.map((m) => m.name),
      ]);
      const head = await chainHead(client as unknown as Pool);
      const booked = await pointsReport(client, { from, to, expiryBasis: 'booked' });
      const due = await pointsReport(client, { from, to, expiryBasis: 'due' });
      closing = {
        month,
        log_position: Number(rows[0]?.position ?? 0),
        chain_head: head ? { seq: head.seq, position: head.position, hash: head.hash } : null,
        reports: { booked, due },
      };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    const stored = await appendOperatorEvent(this.commandBus, PERIOD_CLOSED, closing);
    return { month, event_id: stored.eventId, position: stored.position };
  }
}

@CommandHandler(ReopenPeriodCommand)
export class ReopenPeriodHandler implements ICommandHandler<ReopenPeriodCommand> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly commandBus: CommandBus,
    private readonly config: LedgerConfig,
  ) {}

  execute({ month, reason }: ReopenPeriodCommand): Promise<PeriodChangeDto> {
    return oneAtATime(this.pool, this.config.minPositionTimeoutMs, async () => {
      if ((await statusOf(this.pool, month)) !== 'closed') throw new PeriodChangeError('not_closed', `${month} is not closed`);
      const stored = await appendOperatorEvent(this.commandBus, PERIOD_REOPENED, { month, reason });
      return { month, event_id: stored.eventId, position: stored.position };
    });
  }
}
