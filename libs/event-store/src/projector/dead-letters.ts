/** The projection_dead_letters rows: events a projection refused, parked with their error and stack. */
import type { Pool, PoolClient } from 'pg';
import type { ProjectionFailure } from './log-event';

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

/**
 * Poison events are kept per projection, with the error, so they can be inspected and retried.
 * Parking one again (a retry that failed) counts the attempt. Returns each one's attempts.
 */
export async function parkEvents(client: PoolClient, name: string, failures: ProjectionFailure[]): Promise<number[]> {
  const attempts: number[] = [];
  for (const { event, error } of failures) {
    const parked = await client.query<{ attempts: number }>(
      `INSERT INTO projection_dead_letters (projection, event_id, position, error, stack)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (projection, event_id)
       DO UPDATE SET attempts = projection_dead_letters.attempts + 1, error = EXCLUDED.error,
                     stack = EXCLUDED.stack, parked_at = clock_timestamp()
       RETURNING attempts`,
      [name, event.eventId, event.position, error.message.slice(0, 2000), error.stack?.slice(0, 8000) ?? null],
    );
    attempts.push(parked.rows[0].attempts);
  }
  return attempts;
}

export async function listDeadLetters(pool: Pool, projection?: string): Promise<DeadLetter[]> {
  const result = await pool.query(
    `SELECT id, projection, event_id, position, error, stack, attempts, parked_at
     FROM projection_dead_letters WHERE ($1::text IS NULL OR projection = $1) ORDER BY id`,
    [projection ?? null],
  );
  return result.rows.map((r) => ({ ...r, id: Number(r.id), position: Number(r.position), parked_at: r.parked_at.toISOString() }));
}

/** Locks a parked event's row for this transaction (a retry): which projection and event it is, or undefined. */
export async function lockDeadLetter(client: PoolClient, id: number): Promise<{ projection: string; eventId: string } | undefined> {
  const result = await client.query(`SELECT projection, event_id FROM projection_dead_letters WHERE id = $1 FOR UPDATE`, [id]);
  const row = result.rows[0];
  return row && { projection: row.projection, eventId: row.event_id };
}

export async function removeDeadLetter(client: PoolClient, id: number): Promise<void> {
  await client.query(`DELETE FROM projection_dead_letters WHERE id = $1`, [id]);
}
