import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { Pool } from 'pg';
import { withDeadline } from '@ledger/event-store';
import { PG_POOL } from '../database/database.module';

export const REFUSAL_COUNTS_FLUSH = 'refusal-counts-flush';
const FLUSH_EVERY_MS = 5000;
const FLUSH_DEADLINE_MS = 2000;
/** Minutes x reasons x statuses held while the database is away; the oldest go first past it. */
const MAX_PENDING_KEYS = 10_000;

interface Tally {
  minute: string;
  reason: string;
  statusCode: number;
  deliveries: number;
  bodyBytes: number;
}

/**
 * Refusals of unauthenticated deliveries (a missing or wrong signature, and Fastify's 413 and 415
 * that come before any check) are counted per minute, reason and status, in memory, and added
 * to rejected_delivery_counts every few seconds. Anyone can send them: a flood costs one row a
 * minute per reason, and never a row per request. A crash loses at most the last few seconds of
 * counts, which are statistics, never events.
 */
@Injectable()
export class RefusalCounts implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RefusalCounts.name);
  private pending = new Map<string, Tally>();
  private flushing: Promise<void> | undefined;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  count(reason: string, statusCode: number, bodyBytes: number, at = new Date()): void {
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
    this.add({ minute, reason, statusCode, deliveries: 1, bodyBytes });
  }

  private add(tally: Tally): void {
    const key = `${tally.minute} ${tally.reason} ${tally.statusCode}`;
    const known = this.pending.get(key);
    if (known) {
      known.deliveries += tally.deliveries;
      known.bodyBytes += tally.bodyBytes;
      return;
    }
    if (this.pending.size >= MAX_PENDING_KEYS) this.pending.delete(this.pending.keys().next().value as string);
    this.pending.set(key, { ...tally });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Adds what was counted since the last flush; on failure the counts wait for the next one. */
  @Interval(REFUSAL_COUNTS_FLUSH, FLUSH_EVERY_MS)
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const tallies = [...this.pending.values()];
    this.pending = new Map();
    try {
      await withDeadline(
        this.pool.query(
          `INSERT INTO rejected_delivery_counts AS c (minute, reason, status_code, deliveries, body_bytes)
           SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::smallint[], $4::bigint[], $5::bigint[])
           ON CONFLICT (minute, reason, status_code) DO UPDATE
             SET deliveries = c.deliveries + excluded.deliveries, body_bytes = c.body_bytes + excluded.body_bytes`,
          [
            tallies.map((t) => t.minute),
            tallies.map((t) => t.reason),
            tallies.map((t) => t.statusCode),
            tallies.map((t) => t.deliveries),
            tallies.map((t) => t.bodyBytes),
          ],
        ),
        FLUSH_DEADLINE_MS,
      );
    } catch (error) {
      tallies.forEach((t) => this.add(t));
      this.logger.warn({ err: (error as Error).message }, 'could not write refusal counts; they wait for the next flush');
    }
  }
}
