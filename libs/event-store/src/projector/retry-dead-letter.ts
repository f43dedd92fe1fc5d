import type { Pool, PoolClient } from 'pg';
import { applyAndPark } from './apply-batch';
import { countAppliedBehind, lockCheckpoint } from './checkpoints';
import { lockDeadLetter, removeDeadLetter } from './dead-letters';
import type { Projection } from './log-event';
import { readEvent } from '../log-reader';
import { inTransaction } from './transactions';

export type RetryOutcome = { outcome: 'applied' } | { outcome: 'failed'; error: string; attempts: number } | { outcome: 'not_found' };

/**
 * Applies a parked event to its live projection again (after a fix). Read models are
 * order-independent, so applying an old event late gives the state it would have given then.
 * Runs under the projection's checkpoint lock, so it never interleaves with a live batch.
 */
export async function retryDeadLetter(pool: Pool, projections: Projection[], id: number): Promise<RetryOutcome> {
  return inTransaction(pool, {}, (client) => retryIn(client, projections, id));
}

/** The retry's body, in the caller's transaction: the batch path's apply and park, on one event alone. */
async function retryIn(client: PoolClient, projections: Projection[], id: number): Promise<RetryOutcome> {
  const parked = await lockDeadLetter(client, id);
  const projection = parked && projections.find((p) => p.name === parked.projection);
  if (!parked || !projection) return { outcome: 'not_found' }; // nothing written; the commit only ends the transaction
  await lockCheckpoint(client, projection.name);
  const event = await readEvent(client, parked.eventId);
  if (!event) throw new Error(`parked event ${parked.eventId} is not in the log`);
  const [failed] = await applyAndPark(client, projection, [event], { alone: true });
  if (failed) return { outcome: 'failed', error: failed.error.message, attempts: failed.attempts };
  await removeDeadLetter(client, id);
  await countAppliedBehind(client, projection.name);
  return { outcome: 'applied' };
}
