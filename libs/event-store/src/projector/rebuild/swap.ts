import type { Pool, PoolClient } from 'pg';
import { applyParkAndAdvance, BatchMember } from '../apply-batch';
import { handOverCheckpoint, lockCheckpoints } from '../checkpoints';
import { oldestOf, readSafeBatch } from '../../log-reader';
import { inTransaction } from '../transactions';
import type { RebuildLock } from './rebuild-lock';
import { lockShadowTables, lockSharedDdl, moveShadowTablesIn, SHADOW_SCHEMA } from './shadow-tables';

const SWAP_LOCK_TIMEOUT = '5s';
const SWAP_ATTEMPTS = 5;

/** A projection being rebuilt: its shadow checkpoint (checkpointName) and the tables it writes. */
export interface RebuildMember extends BatchMember {
  tables: readonly string[];
}

export interface SwapOptions {
  limit: number;
  untilPosition?: number;
  failFast?: boolean;
}

/**
 * In one transaction: hold the live checkpoints (the live projector waits), apply what the log
 * gained meanwhile, move the live tables out and the shadow tables in, and give the live
 * checkpoints the rebuild's. Readers see the old tables until the commit, the new ones after.
 * Returns the events applied in the swap.
 */
export async function swapIn(pool: Pool, members: RebuildMember[], options: SwapOptions, lock: RebuildLock): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Durable, unlike the batches before it: the swap is what makes the rebuild live.
      return await inTransaction(pool, { schema: SHADOW_SCHEMA }, (client) => swapInTransaction(client, members, options, lock));
    } catch (error) {
      // 55P03: a long read held the tables past lock_timeout; readers queue behind us meanwhile, so give way and retry.
      if ((error as { code?: string }).code !== '55P03' || attempt >= SWAP_ATTEMPTS) throw error;
    }
  }
}

/** The swap's body, in the caller's transaction with the shadow schema first on the search_path. */
async function swapInTransaction(client: PoolClient, members: RebuildMember[], options: SwapOptions, lock: RebuildLock): Promise<number> {
  // Swaps of other projections share the retired schema's DDL below: one swap at a time. Taken
  // first, so a swap waiting for it holds no other lock and cannot close a deadlock; and before
  // lock_timeout, since waiting for another swap (itself bounded) is no reason to give up.
  await lockSharedDdl(client);
  await client.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
  // The live checkpoints (the live projector waits), the rebuild's, and the shadow tables: a
  // rebuild that took the lock over after the check below can neither swap, nor reset or write
  // the shadow, before this transaction ends. It finds the shadow gone when it gets them.
  await lockCheckpoints(client, members.flatMap((m) => [m.projection.name, m.checkpointName]));
  const tables = members.flatMap((m) => m.tables);
  await lockShadowTables(client, tables);
  await lock.assertHeldIn(client);
  const applied = await catchUp(client, members, options);
  await moveShadowTablesIn(client, tables);
  for (const member of members) await handOverCheckpoint(client, member.checkpointName, member.projection.name);
  return applied;
}

/**
 * Applies what the log gained since the load, to every member, in the swap's transaction: one
 * read of the log per batch for all of them, from the oldest checkpoint.
 */
async function catchUp(client: PoolClient, members: RebuildMember[], options: SwapOptions): Promise<number> {
  let applied = 0;
  for (;;) {
    const locked = await lockCheckpoints(client, members.map((m) => m.checkpointName));
    const checkpoints = members.map((m) => {
      const checkpoint = locked.get(m.checkpointName);
      if (!checkpoint) throw new Error(`no checkpoint row for ${m.checkpointName}`);
      return checkpoint;
    });
    const events = await readSafeBatch(client, oldestOf(checkpoints), options.limit, options.untilPosition, { insideTransaction: true });
    // A failure is rare (the load isolated failing events already): the swap rolls back, the rebuild fails, a rerun resumes.
    for (const [i, member] of members.entries()) {
      await applyParkAndAdvance(client, member, events, checkpoints[i], { failFast: options.failFast });
    }
    applied += events.length;
    if (events.length < options.limit) return applied;
  }
}
