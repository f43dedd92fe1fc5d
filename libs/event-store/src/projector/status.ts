import type { Pool } from 'pg';

export interface ProjectionStatus {
  name: string;
  checkpoint: { position: number; transaction_id: string } | null;
  events_applied: number;
  events_behind: number;
  /** Age of the oldest event not applied yet; 0 when caught up. */
  lag_seconds: number;
  parked_events: number;
  updated_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

/** Where each projection stands; "behind" counts in commit-safe order, the order projectors read in. */
export async function projectionStatus(pool: Pool, names: string[]): Promise<ProjectionStatus[]> {
  const result = await pool.query(
    `SELECT n.name, c.position, c.transaction_id::text AS transaction_id, c.events_applied, c.updated_at,
            c.last_error, c.last_error_at, b.behind,
            COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - b.oldest), 0) AS lag_seconds,
            (SELECT count(*) FROM projection_dead_letters d WHERE d.projection = n.name) AS parked
     FROM unnest($1::text[]) AS n(name) LEFT JOIN projection_checkpoints c ON c.projection = n.name
     -- One pass over the unapplied events gives both their number and the age of the oldest.
     CROSS JOIN LATERAL (
       SELECT count(*) AS behind, min(e.received_at) AS oldest FROM events e
       WHERE (e.transaction_id, e.global_position) > (COALESCE(c.transaction_id, '0'::xid8), COALESCE(c.position, 0))
     ) b
     ORDER BY n.name`,
    [names],
  );
  return result.rows.map((r) => ({
    name: r.name,
    checkpoint: r.position === null ? null : { position: Number(r.position), transaction_id: r.transaction_id },
    events_applied: Number(r.events_applied ?? 0),
    events_behind: Number(r.behind),
    lag_seconds: Number(r.lag_seconds),
    parked_events: Number(r.parked),
    updated_at: r.updated_at ? r.updated_at.toISOString() : null,
    last_error: r.last_error,
    last_error_at: r.last_error_at ? r.last_error_at.toISOString() : null,
  }));
}
