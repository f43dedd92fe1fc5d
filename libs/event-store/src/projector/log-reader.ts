/** Reading the log as projections see it: in commit-safe order, and comparing places in that order. */
import type { Pool, PoolClient } from 'pg';
import { isUndecodableTextError } from '../database-errors';
import type { Checkpoint, LogEvent } from './log-event';

/**
 * How a batch's bodies travel. Projections read the bytes received (the bytes the hash chain
 * covers), not `payload`, whose jsonb PostgreSQL must serialise back to text for every event
 * (33–54 against 14–32 µs of its CPU per event read: bench/results/history.md). `text`: decoded
 * by PostgreSQL, the cheapest; it fails
 * the statement on a body that is not valid UTF-8. `bytes`: the bytea, decoded by Node exactly
 * as ingest decoded it before parsing (`rawBody.toString('utf8')`); never fails, costs more.
 */
type BodyTransfer = 'text' | 'bytes';

const BODY_COLUMN: Record<BodyTransfer, string> = {
  text: `convert_from(raw_body, 'UTF8') AS raw_text`,
  bytes: 'raw_body',
};

const logEventColumns = (transfer: BodyTransfer) =>
  `global_position, transaction_id::text AS transaction_id, event_id, event_type, occurred_at, occurred_at_raw IS NOT NULL AS occurred_at_given, received_at, signature_status, ${BODY_COLUMN[transfer]}`;

export interface SafeBatchOptions {
  /**
   * The read runs inside a transaction that must survive it: the `text` transfer could abort it,
   * so the bodies come as bytes. The hot paths (the live pass and rebuild loads) read outside one.
   */
  insideTransaction?: boolean;
}

/**
 * The next events after `after` in commit-safe order (docs/design.md, rule 4): only transactions below
 * the oldest one still running are visible, so a slow writer is never skipped.
 * Deliberately unnamed (planned each time): a cached generic plan cannot see how selective the
 * row comparison is and could scan the whole log.
 */
export async function readSafeBatch(
  client: PoolClient,
  after: Checkpoint,
  limit: number,
  untilPosition?: number,
  options: SafeBatchOptions = {},
): Promise<LogEvent[]> {
  const read = (transfer: BodyTransfer) =>
    client.query(
      `SELECT ${logEventColumns(transfer)}
       FROM public.events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         AND ($4::bigint IS NULL OR global_position <= $4)
       -- Qualified: a bare "transaction_id" would name the text column above and sort '1002' before '999'.
       ORDER BY events.transaction_id, events.global_position
       LIMIT $3`,
      [after.transactionId, after.position, limit, untilPosition ?? null],
    );
  let result;
  if (options.insideTransaction) {
    result = await read('bytes');
  } else {
    try {
      result = await read('text');
    } catch (error) {
      // A body that is not valid UTF-8 (rare, and legal at ingest): the same batch as bytes.
      if (!isUndecodableTextError(error)) throw error;
      result = await read('bytes');
    }
  }
  return toLogEvents(client, result.rows);
}

/** One stored event by its id (a parked event retried, an event's effects shown), or undefined. */
export async function readEvent(client: Pool | PoolClient, eventId: string): Promise<LogEvent | undefined> {
  const result = await client.query(`SELECT ${logEventColumns('bytes')} FROM public.events WHERE event_id = $1`, [eventId]);
  return (await toLogEvents(client, result.rows))[0];
}

/**
 * Rows selected with logEventColumns as LogEvents, their payloads parsed from the raw body. Ingest
 * stored `payload` as the same text, so both parse to the same value (`ledger verify` checks
 * it); a row whose raw body does not parse (not written by ingest) falls back to its `payload`.
 */
async function toLogEvents(client: Pool | PoolClient, rows: Record<string, any>[]): Promise<LogEvent[]> {
  const unparsed: number[] = [];
  const events = rows.map((row) => {
    const event = toLogEvent(row);
    if (event.payload === UNPARSED) unparsed.push(event.position);
    return event;
  });
  if (unparsed.length > 0) {
    const payloads = await client.query<{ global_position: string; payload: unknown }>(
      'SELECT global_position, payload FROM public.events WHERE global_position = ANY($1::bigint[])',
      [unparsed],
    );
    const byPosition = new Map(payloads.rows.map((r) => [Number(r.global_position), r.payload]));
    for (const event of events) if (event.payload === UNPARSED) event.payload = byPosition.get(event.position);
  }
  return events;
}

const UNPARSED = Symbol('unparsed raw body');

function parseBody(row: Record<string, any>): unknown {
  const text: string = row.raw_text ?? (row.raw_body as Buffer).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return UNPARSED;
  }
}

function toLogEvent(row: Record<string, any>): LogEvent {
  return {
    position: Number(row.global_position),
    transactionId: row.transaction_id,
    eventId: row.event_id,
    type: row.event_type,
    occurredAt: row.occurred_at,
    occurredAtGiven: row.occurred_at_given === true,
    receivedAt: row.received_at,
    signatureStatus: row.signature_status,
    payload: parseBody(row),
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
