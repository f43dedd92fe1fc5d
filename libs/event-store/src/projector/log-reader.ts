/** Reading the log as projections see it: in commit-safe order, and comparing places in that order. */
import type { Pool, PoolClient } from 'pg';
import type { Checkpoint, LogEvent } from './log-event';

/**
 * The next events after `after` in commit-safe order (design.md rule 4): only transactions below
 * the oldest one still running are visible, so a slow writer is never skipped.
 * Deliberately unnamed (planned each time): a cached generic plan cannot see how selective the
 * row comparison is and could scan the whole log.
 */
export async function readSafeBatch(
  client: PoolClient,
  after: Checkpoint,
  limit: number,
  untilPosition?: number,
): Promise<LogEvent[]> {
  const result = await client.query(
    `SELECT ${LOG_EVENT_COLUMNS}
     FROM public.events
     WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       AND ($4::bigint IS NULL OR global_position <= $4)
     -- Qualified: a bare "transaction_id" would name the text column above and sort '1002' before '999'.
     ORDER BY events.transaction_id, events.global_position
     LIMIT $3`,
    [after.transactionId, after.position, limit, untilPosition ?? null],
  );
  return result.rows.map(toLogEvent);
}

/** One stored event by its id (a parked event retried, an event's effects shown), or undefined. */
export async function readEvent(client: Pool | PoolClient, eventId: string): Promise<LogEvent | undefined> {
  const result = await client.query(`SELECT ${LOG_EVENT_COLUMNS} FROM public.events WHERE event_id = $1`, [eventId]);
  return result.rows[0] && toLogEvent(result.rows[0]);
}

/** The events columns a LogEvent is made of; rows selected with them go through toLogEvent. */
export const LOG_EVENT_COLUMNS =
  'global_position, transaction_id::text AS transaction_id, event_id, event_type, occurred_at, occurred_at_raw IS NOT NULL AS occurred_at_given, received_at, signature_status, payload';

export function toLogEvent(row: Record<string, any>): LogEvent {
  return {
    position: Number(row.global_position),
    transactionId: row.transaction_id,
    eventId: row.event_id,
    type: row.event_type,
    occurredAt: row.occurred_at,
    occurredAtGiven: row.occurred_at_given === true,
    receivedAt: row.received_at,
    signatureStatus: row.signature_status,
    payload: row.payload,
  };
}

/** Whether `a` (an event or a checkpoint) comes after `b` in safe order. */
export function isAfter(a: Checkpoint, b: Checkpoint): boolean {
  const xid = BigInt(a.transactionId);
  const at = BigInt(b.transactionId);
  return xid > at || (xid === at && a.position > b.position);
}

/**
 * The events of a batch (in safe order) that come after `checkpoint`: a tail of the batch,
 * usually all of it, found without comparing every event.
 */
export function eventsAfter(events: LogEvent[], checkpoint: Checkpoint): LogEvent[] {
  const first = events.findIndex((e) => isAfter(e, checkpoint));
  return first === 0 ? events : first < 0 ? [] : events.slice(first);
}

/** The checkpoint furthest behind. */
export function oldestOf(checkpoints: Checkpoint[]): Checkpoint {
  return checkpoints.reduce((a, b) => (isAfter(a, b) ? b : a));
}
