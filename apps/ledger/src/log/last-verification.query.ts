import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import type { VerificationDto } from './verification.dto';

/** The outcome `ledger verify` kept last (verify.cli.ts writes it), or null when it never ran. */
export class LastVerificationQuery extends Query<VerificationDto | null> {}

@QueryHandler(LastVerificationQuery)
export class LastVerificationHandler implements IQueryHandler<LastVerificationQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(): Promise<VerificationDto | null> {
    const { rows } = await this.pool.query(`SELECT * FROM verify_runs ORDER BY id DESC LIMIT 1`);
    const r = rows[0];
    if (!r) return null;
    return {
      finished_at: (r.finished_at as Date).toISOString(),
      ok: r.ok,
      checked: Number(r.checked),
      unchained: Number(r.unchained),
      head_position: r.head_position === null ? null : Number(r.head_position),
      redacted_events: Number(r.redacted_events),
      erasures: Number(r.erasures),
      problem: r.problem,
    };
  }
}
