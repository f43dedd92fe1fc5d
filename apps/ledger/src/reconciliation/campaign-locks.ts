import type { Pool, PoolClient } from 'pg';

/** One reconciliation per campaign at a time, across processes: a session advisory lock per campaign. */
const LOCK_SPACE = 'ledger.reconcile';
/** The scheduled run: one process of all instances runs it. */
export const SCHEDULE_LOCK = 'ledger.reconcile.schedule';

export interface HeldLocks {
  release(): Promise<void>;
}

/**
 * Takes every campaign's lock on one connection of its own, or none: returns the first campaign
 * another session holds. The locks go with the session, so a process that dies frees them.
 */
export async function lockCampaigns(pool: Pool, keys: string[]): Promise<HeldLocks | { heldBy: string }> {
  const client: PoolClient = await pool.connect();
  const taken: string[] = [];
  try {
    for (const key of keys) {
      const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok`, [LOCK_SPACE, key]);
      if (!rows[0].ok) {
        for (const k of taken) await client.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [LOCK_SPACE, k]);
        client.release();
        return { heldBy: key };
      }
      taken.push(key);
    }
  } catch (error) {
    client.release(true);
    throw error;
  }
  return {
    async release() {
      try {
        await client.query(`SELECT pg_advisory_unlock_all()`);
        client.release();
      } catch {
        client.release(true); // a broken connection takes its locks with it
      }
    },
  };
}
