import type { Pool } from 'pg';
import { HeldLocks, trySessionLocks } from '../database/session-locks';

export type { HeldLocks };

/** One reconciliation per campaign at a time, across processes: a session advisory lock per campaign. */
const LOCK_SPACE = 'ledger.reconcile';
/** The scheduled run: one process of all instances runs it. */
export const SCHEDULE_LOCK = 'ledger.reconcile.schedule';

/** Takes every campaign's lock, or none: returns the first campaign another session holds. */
export const lockCampaigns = (pool: Pool, keys: string[]): Promise<HeldLocks | { heldBy: string }> => trySessionLocks(pool, LOCK_SPACE, keys);
