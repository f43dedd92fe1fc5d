import type { Pool, PoolClient } from 'pg';

export interface HeldLocks {
  release(): Promise<void>;
}

/**
 * Takes every key's session advisory lock in `space`, on one connection of its own, or none:
 * returns the first key another session holds. Never waits (a waiter would hold a pooled
 * connection while the holder may need more). The locks go with the session, so a process that
 * dies frees them. For work one process of all instances does at a time: a campaign's
 * reconciliation, the schedule, the closing of months, the reading of point buckets.
 */
export async function trySessionLocks(pool: Pool, space: string, keys: string[]): Promise<HeldLocks | { heldBy: string }> {
  const client: PoolClient = await pool.connect();
  const taken: string[] = [];
  try {
    for (const key of keys) {
      const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok`, [space, key]);
      if (!rows[0].ok) {
        for (const k of taken) await client.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [space, k]);
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
