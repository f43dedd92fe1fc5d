import type { Pool } from 'pg';
import { isDatabaseUnavailable } from './database-errors';
import { appendParams, EVENTS_APPENDED_CHANNEL, EventStore } from './event-store';
import { classifyExisting } from './existing-events';
import type { AppendResult, NewEvent } from './types';

export interface GroupCommitOptions {
  /** Most events in one transaction. */
  maxBatch: number;
  /** Transactions in flight at once; more requests wait in the queue meanwhile (and batch up). */
  maxConcurrentFlushes: number;
}

interface Pending {
  event: NewEvent;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const COLUMNS = 13;
const insertSqlBySize = new Map<number, string>();
// Sizes 1..32 prepared: about 5 MB of server memory per connection at most (measured ~160 KB at 16 rows).
const NAMED_BATCH_MAX = 32;

/**
 * One statement, hence one transaction and one fsync, for the whole batch: a multi-row VALUES
 * with one parameter per field. Parameters travel as they are (raw bytes as binary, the body's
 * one copy); arrays would need every 2-6 KB body escaped into an array literal first, which the
 * profile showed as the costliest step.
 */
function insertBatchSql(rows: number): string {
  const known = insertSqlBySize.get(rows);
  if (known) return known;
  const values = Array.from({ length: rows }, (_, r) => {
    const p = (c: number) => `$${r * COLUMNS + c}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::timestamptz, ${p(7)}, ${p(8)}::bytea, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}::jsonb, ${p(13)})`;
  }).join(',\n    ');
  const sql = `
  WITH inserted AS (
    INSERT INTO events (event_id, delivery_id, event_type, project_id, customer_id, occurred_at, occurred_at_raw,
                        raw_body, decoded_body, signature_status, envelope_format, request_headers, redacted_by)
    VALUES ${values}
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id, global_position
  )
  SELECT i.event_id, i.global_position, n.notified
  FROM inserted i,
       (SELECT pg_notify('${EVENTS_APPENDED_CHANNEL}', (SELECT max(global_position) FROM inserted)::text) AS notified) n`;
  insertSqlBySize.set(rows, sql);
  return sql;
}

/**
 * Group commit: concurrent appends share one transaction (one INSERT, one fsync) and each is
 * answered only after that commit. While a flush is in flight, new appends queue up and go
 * together in the next one, so batches grow with load and cost nothing when idle.
 *
 * A batch that fails for any reason but the database going away (one unstorable payload, a
 * statement limit hit by one event, a bug) is retried one event at a time, so one event can only
 * ever fail itself.
 */
export class GroupCommitAppender {
  private readonly queue: Pending[] = [];
  private flushing = 0;
  private readonly single: EventStore;

  constructor(
    private readonly pool: Pool,
    private readonly options: GroupCommitOptions,
  ) {
    this.single = new EventStore(pool);
  }

  append(event: NewEvent): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.flushing < this.options.maxConcurrentFlushes) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.flushing++;
      void this.flush(batch).finally(() => {
        this.flushing--;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const results = await this.insertBatch(batch.map((p) => p.event));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      if (batch.length > 1 && !isDatabaseUnavailable(error)) {
        await Promise.all(batch.map((p) => this.single.append(p.event).then(p.resolve, p.reject)));
      } else {
        batch.forEach((p) => p.reject(error));
      }
    }
  }

  private async insertBatch(events: NewEvent[]): Promise<AppendResult[]> {
    // Named per batch size up to NAMED_BATCH_MAX: PostgreSQL parses and plans each once per
    // connection. Larger batches are rarer, spread planning over more rows, and would hold up to
    // ~1 MB of server memory per size per connection if prepared.
    const size = events.length;
    const inserted = await this.pool.query<{ event_id: string; global_position: string }>({
      name: size <= NAMED_BATCH_MAX ? `append-batch-${size}` : undefined,
      text: insertBatchSql(size),
      values: events.flatMap(appendParams),
    });
    const positions = new Map(inserted.rows.map((r) => [r.event_id, Number(r.global_position)]));
    const results: (AppendResult | undefined)[] = events.map((e) => {
      const position = positions.get(e.eventId);
      if (position === undefined) return undefined;
      positions.delete(e.eventId); // a second copy in this batch is a duplicate of the first
      return { outcome: 'appended', position };
    });

    // Not inserted: an earlier copy exists (another delivery, or the same event twice in this batch).
    const missing = results.map((r, i) => (r ? -1 : i)).filter((i) => i >= 0);
    if (missing.length > 0) {
      const existing = await classifyExisting(this.pool, missing.map((i) => events[i]));
      missing.forEach((index, k) => (results[index] = existing[k]));
    }
    // A row neither inserted nor found: a concurrent insert of it rolled back. Append it alone.
    return Promise.all(results.map((r, i) => r ?? this.single.append(events[i])));
  }
}
