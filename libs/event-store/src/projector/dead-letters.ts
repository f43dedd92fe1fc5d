import type { Pool, PoolClient } from 'pg';
import type { Projection } from './log-event';
import { lockCheckpoint, LOG_EVENT_COLUMNS, parkEvents, toLogEvent } from './checkpoints';
import { applyInSavepoint, inTransaction } from './batch';

export interface DeadLetter {
  id: number;
  projection: string;
  event_id: string;
  position: number;
  error: string;
  stack: string | null;
  attempts: number;
  parked_at: string;
}

export async function listDeadLetters(pool: Pool, projection?: string): Promise<DeadLetter[]> {
  const result = await pool.query(
    `SELECT id, projection, event_id, position, error, stack, attempts, parked_at
     FROM projection_dead_letters WHERE ($1::text IS NULL OR projection = $1) ORDER BY id`,
    [projection ?? null],
  );
  return result.rows.map((r) => ({ ...r, id: Number(r.id), position: Number(r.position), parked_at: r.parked_at.toISOString() }));
}

export type RetryOutcome = { outcome: 'applied' } | { outcome: 'failed'; error: string; attempts: number } | { outcome: 'not_found' };

/**
 * Applies a parked event to its live projection again (after a fix). Read models are
 * order-independent, so applying an old event late gives the state it would have given then.
 * Runs under the projection's checkpoint lock, so it never interleaves with a live batch.
 */
export async function retryDeadLetter(pool: Pool, projections: Projection[], id: number): Promise<RetryOutcome> {
  return inTransaction(pool, {}, (client) => retryIn(client, projections, id));
}

/** The retry's body, in the caller's transaction. */
async function retryIn(client: PoolClient, projections: Projection[], id: number): Promise<RetryOutcome> {
  const parked = await client.query(`SELECT projection, event_id FROM projection_dead_letters WHERE id = $1 FOR UPDATE`, [id]);
  const row = parked.rows[0];
  const projection = row && projections.find((p) => p.name === row.projection);
  if (!row || !projection) return { outcome: 'not_found' }; // nothing written; the commit only ends the transaction
  await lockCheckpoint(client, projection.name);
  const stored = await client.query(`SELECT ${LOG_EVENT_COLUMNS} FROM events WHERE event_id = $1`, [row.event_id]);
  const event = toLogEvent(stored.rows[0]);
  const applied = await applyInSavepoint(client, projection, [event]);
  const failure = applied instanceof Error ? applied : applied[0]?.error;
  if (failure) {
    const [attempts] = await parkEvents(client, projection.name, [{ event, error: failure }]);
    return { outcome: 'failed', error: failure.message, attempts };
  }
  await client.query(`DELETE FROM projection_dead_letters WHERE id = $1`, [id]);
  await client.query(
    `UPDATE projection_checkpoints SET events_applied = events_applied + 1 WHERE projection = $1`,
    [projection.name],
  );
  return { outcome: 'applied' };
}
