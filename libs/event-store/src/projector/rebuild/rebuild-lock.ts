import type { Pool, PoolClient } from 'pg';
import { LockSession } from '../lock-session';

/** The first key of every rebuild's advisory lock (the second is the projection's name hashed). */
export const REBUILD_LOCK_CLASS = 7_346_003;

export class RebuildLockedError extends Error {
  constructor(readonly projection: string, readonly holder: string) {
    super(`a rebuild of ${projection} is already running (${holder})`);
    this.name = 'RebuildLockedError';
  }
}

export class RebuildLockLostError extends Error {
  constructor(readonly projection: string, reason: string) {
    super(`rebuild of ${projection} lost its lock (${reason}); the live read model is untouched, run it again to resume`);
    this.name = 'RebuildLockLostError';
  }
}

/** A rebuild's advisory locks, one per projection, held by a session of their own. */
export interface RebuildLock {
  /** Throws if the session reported its end; cheap, checked between batches. */
  assertHeld(): void;
  /** Throws unless the server still grants the locks to that session; checked inside the swap. */
  assertHeldIn(client: PoolClient): Promise<void>;
  /** Ends the session, and the locks with it. */
  release(): Promise<void>;
}

/**
 * Takes the rebuild locks of `names`, or throws RebuildLockedError naming who holds one. The
 * locks live as long as their session. If it ends (a PostgreSQL restart, a killed backend),
 * another rebuild could start beside this one: assertHeld stops the rebuild at the next batch.
 */
export async function takeRebuildLock(pool: Pool, names: string[]): Promise<RebuildLock> {
  const label = names.join(', ');
  const session = new LockSession(pool);
  await session.connect();
  try {
    // Asked while the session is alive: the error message names it once it is gone.
    const pid = await session.backendPid();
    for (const name of names) {
      if (!(await session.tryLock(REBUILD_LOCK_CLASS, name))) throw new RebuildLockedError(name, await session.describeHolder(REBUILD_LOCK_CLASS, name));
    }
    return {
      assertHeld() {
        const lost = session.lost;
        if (lost) throw new RebuildLockLostError(label, `its PostgreSQL session ended: ${lost.message}`);
      },
      async assertHeldIn(client) {
        if (!(await session.holdsAll(client, REBUILD_LOCK_CLASS, names))) {
          throw new RebuildLockLostError(label, `PostgreSQL says backend ${pid} no longer holds it`);
        }
      },
      release: () => session.close(),
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}
