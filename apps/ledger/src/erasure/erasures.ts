import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { classifyDatabaseError, ERASURE_RECORD_TYPE } from '@ledger/event-store';
import { countRefusedNaming, ErasureOptions, REFUSED_NAMING, resolveCustomer, scanForErasure } from './erasure-scan';
import type { ErasureDto, ErasureStatus } from './erasure.dto';

/**
 * Erasures (docs/security.md, "Erasure"): a request is a row, run by whichever process holds its
 * lock, in one transaction that redacts the log through `ledger_erase`, clears the refused
 * deliveries and writes the result, so that a run killed half way leaves nothing half done and is
 * run again; the vacuum after it marks the row done. The customers read model clears the profile when it meets the erasure's record.
 */

export class ErasureRequestError extends Error {
  constructor(
    readonly kind: 'unknown_customer' | 'already_erased',
    message: string,
    readonly existingId?: string,
  ) {
    super(message);
    this.name = 'ErasureRequestError';
  }
}

interface ErasureRow {
  id: string;
  customer_id: string;
  reason: string | null;
  requested_by: string;
  status: ErasureStatus;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  progress: Record<string, unknown>;
  result: ErasureDto['result'];
  error: string | null;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function present(row: ErasureRow): ErasureDto {
  return {
    id: row.id,
    customer_id: row.customer_id,
    reason: row.reason,
    requested_by: row.requested_by,
    status: row.status,
    requested_at: row.requested_at.toISOString(),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    progress: { events_found: typeof row.progress.events_found === 'number' ? row.progress.events_found : null },
    result: row.result,
    error: row.error,
  };
}

export async function getErasure(pool: Pool, id: string): Promise<ErasureDto | null> {
  const { rows } = await pool.query<ErasureRow>(`SELECT * FROM erasures WHERE id = $1`, [id]);
  return rows[0] ? present(rows[0]) : null;
}

export async function listErasures(pool: Pool, limit: number): Promise<ErasureDto[]> {
  const { rows } = await pool.query<ErasureRow>(`SELECT * FROM erasures ORDER BY requested_at DESC, id DESC LIMIT $1`, [limit]);
  return rows.map(present);
}

/** The erasure of this customer done or under way, if any. */
export async function existingErasure(pool: Pool, customerId: string): Promise<string | null> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM erasures WHERE customer_id = $1 AND status <> 'failed'`, [customerId]);
  return rows[0]?.id ?? null;
}

/**
 * Records a request (pending). A customer the ledger never saw, or one already erased (or being
 * erased: the unique index decides between two requests at once), is refused and nothing is written.
 */
export async function requestErasure(pool: Pool, request: { customer: string; reason?: string | null; requestedBy: string }): Promise<ErasureDto> {
  const customerId = await resolveCustomer(pool, request.customer);
  if (!customerId) throw new ErasureRequestError('unknown_customer', `the ledger has never seen a customer ${request.customer} (give the cust_ id or the source id)`);
  const id = `er_${randomBytes(12).toString('hex')}`;
  try {
    const { rows } = await pool.query<ErasureRow>(
      `INSERT INTO erasures (id, customer_id, reason, requested_by, status) VALUES ($1, $2, $3, $4, 'pending') RETURNING *`,
      [id, customerId, request.reason ?? null, request.requestedBy],
    );
    return present(rows[0]);
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    const existing = await existingErasure(pool, customerId);
    throw new ErasureRequestError('already_erased', `customer ${customerId} is already erased or being erased (erasure ${existing})`, existing ?? undefined);
  }
}

/** Erasures a process should pick up: requested, or left running by a process that died. */
export async function unfinishedErasures(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM erasures WHERE status IN ('pending', 'running') ORDER BY requested_at`);
  return rows.map((r) => r.id);
}

export interface RunOptions extends ErasureOptions {
  /** How often every instance re-reads the erased customers; the scan waits two of these after the request. */
  refreshMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one erasure to its end. Null when another process holds it. A database that goes away
 * leaves it running (picked up again); any other failure marks it failed, with nothing changed.
 */
export async function runErasure(pool: Pool, id: string, options: RunOptions): Promise<ErasureDto | null> {
  const lock = await pool.connect();
  let locked = false;
  try {
    locked = (await lock.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 7346028)) AS ok`, [`erasure:${id}`])).rows[0].ok;
    if (!locked) return null;
    const row = (await pool.query<ErasureRow>(`SELECT * FROM erasures WHERE id = $1`, [id])).rows[0];
    if (!row || row.status === 'done' || row.status === 'failed') return row ? present(row) : null;
    await pool.query(`UPDATE erasures SET status = 'running', started_at = COALESCE(started_at, clock_timestamp()) WHERE id = $1`, [id]);
    // Every instance redacts the customer's new webhooks from its next refresh on: scan after two
    // refreshes, counted on the database's clock (the one requested_at was stamped by).
    const { rows: waits } = await pool.query<{ ms: number }>(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (requested_at + make_interval(secs => $2::float8 / 1000) - clock_timestamp())) * 1000)::float8 AS ms FROM erasures WHERE id = $1`,
      [id, 2 * options.refreshMs],
    );
    if (waits[0].ms > 0) await sleep(waits[0].ms);
    try {
      await eraseInOneTransaction(pool, row, options);
    } catch (error) {
      if (classifyDatabaseError(error) === 'unavailable' || classifyDatabaseError(error) === 'transient') throw error;
      // Never over a run that finished (another process may have, had this one lost its lock).
      await pool.query(`UPDATE erasures SET status = 'failed', finished_at = clock_timestamp(), error = $2 WHERE id = $1 AND status <> 'done'`, [
        id,
        (error as Error).message.slice(0, 1000),
      ]);
      return getErasure(pool, id);
    }
    // Done only once the old row versions are gone too: "done" means a dump holds none of it.
    // A vacuum that fails (a lock, a timeout) does not hold the erasure, or the ones after it, for good:
    // the redaction is committed; autovacuum removes the old row versions later, and `vacuumed` says false.
    const vacuumed = await vacuumRewritten(pool).catch((error: Error) => {
      if (classifyDatabaseError(error) === 'unavailable') throw error;
      return false;
    });
    await pool.query(
      `UPDATE erasures SET status = 'done', finished_at = clock_timestamp(), result = jsonb_set(result, '{vacuumed}', to_jsonb($2::boolean)) WHERE id = $1 AND status = 'running'`,
      [id, vacuumed],
    );
    return getErasure(pool, id);
  } finally {
    if (locked) await lock.query(`SELECT pg_advisory_unlock(hashtextextended($1, 7346028))`, [`erasure:${id}`]).catch(() => undefined);
    lock.release();
  }
}

async function eraseInOneTransaction(pool: Pool, row: ErasureRow, options: ErasureOptions): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // The row, locked for the transaction: a second runner waits here and then finds it applied
    // (a result written), as does a run resumed after a process died before its vacuum.
    const { rows: current } = await client.query<{ status: string; applied: boolean }>(`SELECT status, result IS NOT NULL AS applied FROM erasures WHERE id = $1 FOR UPDATE`, [row.id]);
    if (current[0]?.status === 'done' || current[0]?.applied) {
      await client.query('ROLLBACK');
      return;
    }
    const scan = await scanForErasure(client, row.customer_id, options);
    await client.query(`UPDATE erasures SET progress = jsonb_build_object('events_found', $2::int) WHERE id = $1`, [row.id, scan.targets.length]);
    const refused = await countRefusedNaming(client, scan.needles);
    const now = new Date().toISOString();
    const recordEventId = `ledger_erasure_${row.id}`;
    const record = {
      id: `opd_${row.id}`,
      type: ERASURE_RECORD_TYPE,
      created_at: now,
      // Ids and counts only: the record is on the chain for good.
      data: {
        erasure_id: row.id,
        customer_id: row.customer_id,
        reason: row.reason,
        requested_at: row.requested_at.toISOString(),
        source_id_erased: scan.sourceIdErased,
        rejected_deliveries_cleared: refused,
      },
      event: { id: recordEventId, type: ERASURE_RECORD_TYPE, created_at: now },
    };
    const targets = scan.targets.map((t) => ({ position: t.position, paths: t.paths }));
    const recorded = await client.query<{ position: string }>(`SELECT ledger_erase($1, $2, $3::jsonb, $4::jsonb) AS position`, [row.id, row.customer_id, JSON.stringify(targets), JSON.stringify(record)]);
    const cleared = await client.query(`UPDATE rejected_deliveries SET body_prefix = NULL WHERE ${REFUSED_NAMING}`, [scan.needles]);
    const result: ErasureDto['result'] = {
      events_redacted: targets.length,
      fields: scan.fields,
      rejected_deliveries_cleared: cleared.rowCount ?? 0,
      record_event_id: recordEventId,
      record_position: Number(recorded.rows[0].position),
      vacuumed: null,
    };
    // Still running: the vacuum after the commit marks it done.
    await client.query(`UPDATE erasures SET result = $2 WHERE id = $1`, [row.id, JSON.stringify(result)]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The old row versions an erasure left in the tables' pages go at the next vacuum; run it now.
 * False where the role may not (VACUUM of a table it neither owns nor may maintain is skipped
 * with a warning): the owner's vacuum, or autovacuum, removes them later (docs/security.md).
 */
async function vacuumRewritten(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query<{ ok: boolean }>(
    `SELECT bool_and(pg_has_role(current_user, c.relowner, 'USAGE')
                     OR CASE WHEN current_setting('server_version_num')::int >= 170000 THEN has_table_privilege(c.oid, 'MAINTAIN') ELSE false END) AS ok
     FROM pg_class c WHERE c.oid IN ('public.events'::regclass, 'public.rejected_deliveries'::regclass)`,
  );
  if (!rows[0].ok) return false;
  await pool.query(`VACUUM (ANALYZE false) events, rejected_deliveries`);
  return true;
}
