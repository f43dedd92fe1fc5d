import type { Pool } from 'pg';

/** Projects reported; a signed sender names its project, and labels and answers must stay bounded. */
export const MAX_PROJECTS = 50;

export interface ProjectDelivery {
  /** The envelope's `project_id`; null for envelopes without one (the retired v2018 format). */
  project_id: string | null;
  last_delivery_at: string;
}

/**
 * When each Voucherify project last delivered a webhook (signed or unsigned: imports, operator
 * events and backfills are not deliveries). A loose index scan over the partial index
 * events_webhook_project_received_idx: one probe per project, whatever the size of the log.
 */
export async function lastDeliveries(pool: Pool): Promise<ProjectDelivery[]> {
  const { rows } = await pool.query<{ project_id: string | null; last: Date }>(
    `WITH RECURSIVE projects(project_id, n) AS (
       SELECT min(project_id), 1 FROM events WHERE signature_status IN ('verified', 'unsigned')
       UNION ALL
       SELECT (SELECT min(e.project_id) FROM events e WHERE e.signature_status IN ('verified', 'unsigned') AND e.project_id > p.project_id), p.n + 1
         FROM projects p WHERE p.project_id IS NOT NULL AND p.n < $1
     )
     SELECT project_id, (SELECT max(received_at) FROM events e WHERE e.signature_status IN ('verified', 'unsigned') AND e.project_id = p.project_id) AS last
       FROM projects p WHERE project_id IS NOT NULL
     UNION ALL
     SELECT NULL, (SELECT max(received_at) FROM events e WHERE e.signature_status IN ('verified', 'unsigned') AND e.project_id IS NULL)`,
    [MAX_PROJECTS],
  );
  return rows
    .filter((r) => r.last !== null)
    .map((r) => ({ project_id: r.project_id, last_delivery_at: r.last.toISOString() }))
    .sort((a, b) => b.last_delivery_at.localeCompare(a.last_delivery_at));
}
