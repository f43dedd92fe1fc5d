/**
 * The one reader of the log in commit-safe order (readAfter), for every reader that resumes from
 * a cursor: the projectors and rebuilds (readSafeBatch, as LogEvents), `GET /events/stream` and
 * `ledger export` (their own columns). Also: comparing places in that order.
 */
import type { Pool, PoolClient } from 'pg';
import { isUndecodableTextError } from './database-errors';
import type { LogCursor } from './log-cursor';
import type { LogEvent } from './projector/log-event';
import { bodyTextSql, parseStoredBody, StoredBody } from './stored-body';

export interface ReadAfterOptions {
  /** Most events read. */
  limit: number;
  /** SQL select expressions over the events table as `e` (e.g. `e.raw_body`); `transaction_id` (as text) and `global_position` always come too. */
  columns: string;
  /**
   * Most stored raw-body bytes read (always at least one event): the candidates are measured
   * first (octet_length of a bytea reads its TOAST pointer, not the bytes), and only those within
   * the budget are then fetched by primary key, so neither side loads more than the budget.
   */
  byteBudget?: number;
  /** Only events at or below this position (a rebuild catching up to where it started). */
  untilPosition?: number;
}

/** What readAfter answers for each event, besides the columns asked for. */
export interface ReadAfterRow {
  transaction_id: string;
  global_position: string;
}

/**
 * The next events after `after` in commit-safe order (docs/design.md, rule 4): only transactions
 * below the oldest one still running are visible, so a slow writer is never skipped, and reading
 * again from the last event's cursor gives nothing twice and misses nothing.
 * Deliberately unnamed (planned each time): a cached generic plan cannot see how selective the
 * row comparison is and could scan the whole log.
 */
export async function readAfter<Row extends object>(
  db: Pool | PoolClient,
  after: LogCursor,
  options: ReadAfterOptions,
): Promise<Array<Row & ReadAfterRow>> {
  const safeAfter = `(e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
         AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         AND ($4::bigint IS NULL OR e.global_position <= $4)`;
  // Qualified: a bare "transaction_id" would name the text column selected and sort '1002' before '999'.
  const order = 'e.transaction_id, e.global_position';
  const select = `${options.columns}, e.transaction_id::text AS transaction_id, e.global_position`;
  const params: unknown[] = [after.transactionId, after.position, options.limit, options.untilPosition ?? null];
  if (options.byteBudget === undefined) {
    const result = await db.query(`SELECT ${select} FROM public.events e WHERE ${safeAfter} ORDER BY ${order} LIMIT $3`, params);
    return result.rows;
  }
  params.push(options.byteBudget);
  const result = await db.query(
    `WITH candidates AS (
       SELECT e.transaction_id, e.global_position, octet_length(e.raw_body) AS size FROM public.events e
       WHERE ${safeAfter} ORDER BY ${order} LIMIT $3
     ), measured AS (
       SELECT global_position, row_number() OVER w AS n, sum(size) OVER w AS bytes_through
       FROM candidates WINDOW w AS (ORDER BY transaction_id, global_position ROWS UNBOUNDED PRECEDING)
     )
     SELECT ${select} FROM public.events e
     WHERE e.global_position = ANY (ARRAY(SELECT global_position FROM measured WHERE n = 1 OR bytes_through <= $5))
     ORDER BY ${order}`,
    params,
  );
  return result.rows;
}

/**
 * How a batch's bodies travel. Projections read the body's one copy, its bytes (the bytes the hash
 * chain covers). `text`: decoded by PostgreSQL, the cheapest (where the bytes are not UTF-8, the
 * text ingest decoded is stored beside them: bodyTextSql); it fails the statement on a row written
 * some other way with bytes that are not UTF-8. `bytes`: decoded by Node exactly as ingest decoded
 * them (`rawBody.toString('utf8')`); never fails, costs more.
 */
type BodyTransfer = 'text' | 'bytes';

const BODY_COLUMN: Record<BodyTransfer, string> = {
  text: `${bodyTextSql('e')} AS raw_text`,
  bytes: 'e.raw_body, e.decoded_body',
};

const logEventColumns = (transfer: BodyTransfer) =>
  `e.event_id, e.event_type, e.occurred_at, e.occurred_at_raw IS NOT NULL AS occurred_at_given, e.received_at, e.signature_status, ${BODY_COLUMN[transfer]}`;

export interface SafeBatchOptions {
  /**
   * The read runs inside a transaction that must survive it: the `text` transfer could abort it,
   * so the bodies come as bytes. The hot paths (the live pass and rebuild loads) read outside one.
   */
  insideTransaction?: boolean;
}

/** The next events after `after` in commit-safe order (readAfter), as projections apply them. */
export async function readSafeBatch(
  client: PoolClient,
  after: LogCursor,
  limit: number,
  untilPosition?: number,
  options: SafeBatchOptions = {},
): Promise<LogEvent[]> {
  const read = (transfer: BodyTransfer) => readAfter<Record<string, any>>(client, after, { limit, untilPosition, columns: logEventColumns(transfer) });
  let rows;
  if (options.insideTransaction) {
    rows = await read('bytes');
  } else {
    try {
      rows = await read('text');
    } catch (error) {
      // A body that is not valid UTF-8 (rare, and legal at ingest): the same batch as bytes.
      if (!isUndecodableTextError(error)) throw error;
      rows = await read('bytes');
    }
  }
  return toLogEvents(rows);
}

/** One stored event by its id (a parked event retried, an event's effects shown), or undefined. */
export async function readEvent(client: Pool | PoolClient, eventId: string): Promise<LogEvent | undefined> {
  const result = await client.query(
    `SELECT ${logEventColumns('bytes')}, e.transaction_id::text AS transaction_id, e.global_position FROM public.events e WHERE e.event_id = $1`,
    [eventId],
  );
  return toLogEvents(result.rows)[0];
}

/** Rows selected with logEventColumns as LogEvents, their bodies parsed (one that does not parse: null, which no read model takes). */
function toLogEvents(rows: Record<string, any>[]): LogEvent[] {
  return rows.map(toLogEvent);
}

function parseBody(row: Record<string, any>): unknown {
  if (row.raw_text === undefined) return parseStoredBody(row as StoredBody) ?? null;
  try {
    return JSON.parse(row.raw_text);
  } catch {
    return null;
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
export function isAfter(a: LogCursor, b: LogCursor): boolean {
  const xid = BigInt(a.transactionId);
  const at = BigInt(b.transactionId);
  return xid > at || (xid === at && a.position > b.position);
}

/**
 * The events of a batch (in safe order) that come after `checkpoint`: a tail of the batch,
 * usually all of it, found without comparing every event.
 */
export function eventsAfter(events: LogEvent[], checkpoint: LogCursor): LogEvent[] {
  const first = events.findIndex((e) => isAfter(e, checkpoint));
  return first === 0 ? events : first < 0 ? [] : events.slice(first);
}

/** The checkpoint furthest behind. */
export function oldestOf(checkpoints: LogCursor[]): LogCursor {
  return checkpoints.reduce((a, b) => (isAfter(a, b) ? b : a));
}
