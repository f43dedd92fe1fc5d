import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { bodyTextSql, LogCursor, readAfter, SignatureStatus } from '@ledger/event-store';
import { PG_POOL } from '../database/database.module';

/**
 * Most stored raw-body bytes one `/events` page carries (always at least one event). Pages were
 * bounded by count only: 560 events of ~1 MB each with limit=1000 took 1.4 GB and answered 500.
 */
export const EVENTS_PAGE_BYTE_BUDGET = 4 * 1024 * 1024;

/**
 * An event as the read API shows it. `payloadJson` is PostgreSQL's jsonb text of the body (its one
 * stored copy, parsed when read: compact, on one line, as the answers and the stream need it): it
 * is passed through to the answer as is, never parsed into an object and serialised again, so no
 * nesting depth can overflow a stack (JSON.stringify recurses). Every stored body casts to jsonb
 * (the ingest refuses what would not: libs/voucherify/src/json-shape.ts).
 */
export interface EventSummaryRow {
  position: number;
  eventId: string;
  deliveryId: string | null;
  type: string;
  projectId: string | null;
  customerId: string | null;
  occurredAt: Date | null;
  occurredAtRaw: string | null;
  receivedAt: Date;
  signatureStatus: SignatureStatus;
  envelopeFormat: string;
  payloadJson: string;
}

export interface EventDetailRow extends EventSummaryRow {
  transactionId: string;
  rawBody: Buffer;
  requestHeaders: Record<string, string>;
}

export interface EventPageRequest {
  afterPosition: number;
  limit: number;
  type?: string;
  customerId?: string;
  /** Newest first: positions below `beforePosition` (all when absent), descending. */
  newestFirst?: boolean;
  beforePosition?: number;
  signatureStatus?: SignatureStatus;
  /** Received in [receivedFrom, receivedTo) (ISO 8601, canonical). */
  receivedFrom?: string;
  receivedTo?: string;
}

/** An event with its place in commit-safe order. */
export interface SafeOrderedEvent extends EventSummaryRow {
  transactionId: string;
}

export interface EventPage {
  events: EventSummaryRow[];
  /** Whether events may follow the last one: the page was cut by count or by bytes. */
  more: boolean;
}

const COLUMNS = `e.global_position, e.event_id, e.delivery_id, e.event_type, e.project_id, e.customer_id,
  e.occurred_at, e.occurred_at_raw, e.received_at, e.signature_status, e.envelope_format,
  ${bodyTextSql('e')}::jsonb::text AS payload_json`;

interface Row {
  global_position: string;
  event_id: string;
  delivery_id: string | null;
  event_type: string;
  project_id: string | null;
  customer_id: string | null;
  occurred_at: Date | null;
  occurred_at_raw: string | null;
  received_at: Date;
  signature_status: SignatureStatus;
  envelope_format: string;
  payload_json: string;
}

const toSummary = (row: Row): EventSummaryRow => ({
  position: Number(row.global_position),
  eventId: row.event_id,
  deliveryId: row.delivery_id,
  type: row.event_type,
  projectId: row.project_id,
  customerId: row.customer_id,
  occurredAt: row.occurred_at,
  occurredAtRaw: row.occurred_at_raw,
  receivedAt: row.received_at,
  signatureStatus: row.signature_status,
  envelopeFormat: row.envelope_format,
  payloadJson: row.payload_json,
});

/** The raw log as the read API browses it. */
@Injectable()
export class EventLogReader {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Committed events by position, bounded by count and by bytes, in one statement: the
   * candidates are measured first (octet_length of a bytea reads its TOAST pointer, not the
   * bytes), and only the events within the budget are then fetched by primary key (= ANY of an
   * array, a plan that holds even before the table has statistics) to have their payload
   * rendered and sent, so neither side loads more than the budget (or the one larger event).
   */
  async page(request: EventPageRequest, byteBudget = EVENTS_PAGE_BYTE_BUDGET): Promise<EventPage> {
    const params: unknown[] = [request.afterPosition, request.limit, byteBudget];
    const filters = ['global_position > $1'];
    const direction = request.newestFirst ? 'DESC' : 'ASC';
    if (request.beforePosition !== undefined) {
      params.push(request.beforePosition);
      filters.push(`global_position < $${params.length}`);
    }
    if (request.signatureStatus !== undefined) {
      params.push(request.signatureStatus);
      filters.push(`signature_status = $${params.length}`);
    }
    if (request.receivedFrom !== undefined) {
      params.push(request.receivedFrom);
      filters.push(`received_at >= $${params.length}`);
    }
    if (request.receivedTo !== undefined) {
      params.push(request.receivedTo);
      filters.push(`received_at < $${params.length}`);
    }
    if (request.type !== undefined) {
      params.push(request.type);
      filters.push(`event_type = $${params.length}`);
    }
    if (request.customerId !== undefined) {
      params.push(request.customerId);
      filters.push(`customer_id = $${params.length}`);
    }
    const result = await this.pool.query<Row & { candidates: string }>(
      `WITH candidates AS (
         SELECT global_position, octet_length(raw_body) AS size
         FROM events WHERE ${filters.join(' AND ')}
         ORDER BY global_position ${direction} LIMIT $2
       ), measured AS (
         SELECT global_position, row_number() OVER w AS n, sum(size) OVER w AS bytes_through
         FROM candidates WINDOW w AS (ORDER BY global_position ${direction} ROWS UNBOUNDED PRECEDING)
       )
       SELECT ${COLUMNS}, (SELECT count(*) FROM candidates) AS candidates
       FROM events e
       WHERE e.global_position = ANY (ARRAY(SELECT global_position FROM measured WHERE n = 1 OR bytes_through <= $3))
       ORDER BY e.global_position ${direction}`,
      params,
    );
    const candidates = result.rows.length > 0 ? Number(result.rows[0].candidates) : 0;
    return {
      events: result.rows.map(toSummary),
      more: result.rows.length > 0 && (candidates === request.limit || result.rows.length < candidates),
    };
  }

  /**
   * Committed events after `after` in commit-safe order (transaction id, then position), only
   * below the oldest transaction still running, bounded by count and by bytes like page(). What
   * a follower reads: started again from the last event's cursor, it gets nothing twice and
   * misses nothing, even from a transaction that commits a lower position late.
   */
  async afterInSafeOrder(after: LogCursor, limit: number, byteBudget = EVENTS_PAGE_BYTE_BUDGET): Promise<SafeOrderedEvent[]> {
    const rows = await readAfter<Row>(this.pool, after, { limit, byteBudget, columns: COLUMNS });
    return rows.map((row) => ({ ...toSummary(row), transactionId: row.transaction_id }));
  }

  /** The commit-safe place of the event at `position`, or null when no event has it. */
  async safePlaceOf(position: number): Promise<LogCursor | null> {
    const result = await this.pool.query<{ transaction_id: string }>(
      `SELECT transaction_id::text AS transaction_id FROM events WHERE global_position = $1`,
      [position],
    );
    return result.rows[0] ? { transactionId: result.rows[0].transaction_id, position } : null;
  }

  async find(eventId: string): Promise<EventDetailRow | null> {
    const result = await this.pool.query<Row & { transaction_id: string; raw_body: Buffer; request_headers: Record<string, string> | null }>(
      `SELECT ${COLUMNS}, e.transaction_id::text AS transaction_id, e.raw_body, e.request_headers
       FROM events e WHERE e.event_id = $1`,
      [eventId],
    );
    const row = result.rows[0];
    if (!row) return null;
    return { ...toSummary(row), transactionId: row.transaction_id, rawBody: row.raw_body, requestHeaders: row.request_headers ?? {} };
  }
}
