import { isUtf8 } from 'node:buffer';
import type { Pool } from 'pg';
import { classifyExisting } from './existing-events';
import type { AppendResult, NewEvent } from './types';

/** Channel notified (at commit, NOTIFY is transactional) after every append. */
export const EVENTS_APPENDED_CHANNEL = 'ledger_events_appended';

const INSERT_EVENT = `
  WITH inserted AS (
    INSERT INTO events (event_id, delivery_id, event_type, project_id, customer_id, occurred_at,
                        occurred_at_raw, raw_body, decoded_body, signature_status, envelope_format,
                        request_headers, redacted_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING global_position
  )
  SELECT global_position, pg_notify('${EVENTS_APPENDED_CHANNEL}', global_position::text)
  FROM inserted`;

/** An event's column values, in the order of every INSERT into `events`. */
export function appendParams(event: NewEvent): unknown[] {
  return [
    event.eventId,
    event.deliveryId,
    event.type,
    event.projectId,
    event.customerId,
    event.occurredAt,
    event.occurredAtRaw,
    event.rawBody,
    // The body's one copy is its bytes; their decoded text only where they are not UTF-8 (migration 1764000033000).
    isUtf8(event.rawBody) ? null : event.payloadJson,
    event.signatureStatus,
    event.envelopeFormat,
    JSON.stringify(event.requestHeaders),
    event.redactedBy ?? null,
  ];
}

/**
 * The append-only log. Appends are single autocommit statements: when `append` resolves the
 * event is committed and may be acknowledged. Deduplication is by event id (docs/design.md, rule 1).
 */
export class EventStore {
  constructor(private readonly pool: Pool) {}

  async append(event: NewEvent): Promise<AppendResult> {
    // Two rounds at most: if a concurrent append of the same id rolls back after our
    // ON CONFLICT saw it, the row is gone and the second insert succeeds.
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await this.pool.query<{ global_position: string }>({ name: 'append-event', text: INSERT_EVENT, values: appendParams(event) });
      if (inserted.rows.length === 1) {
        return { outcome: 'appended', position: Number(inserted.rows[0].global_position) };
      }
      const [existing] = await classifyExisting(this.pool, [event]);
      if (existing) return existing;
    }
    throw new Error(`event ${event.eventId} neither inserted nor found after a conflict`);
  }
}
