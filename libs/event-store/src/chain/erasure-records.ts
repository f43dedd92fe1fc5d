import type { Pool, PoolClient } from 'pg';
import { parseStoredBody, StoredBody } from '../stored-body';

/** The event type of an erasure's record: an operator event on the chain (ledger_erase appends it). */
export const ERASURE_RECORD_TYPE = 'ledger.erasure.recorded';

/** What the redaction check reads of a stored event. */
export interface RedactionCheck {
  global_position: string;
  event_id: string | null;
  /** SHA-256 of the raw body as stored now. */
  body_sha256: Buffer;
  /** Set by an erasure: the hash of the body as it was received. */
  original_sha256: Buffer | null;
  redacted_by: string | null;
}

interface Named {
  erasureId: string;
  redactedSha256: string;
}

export interface ErasureRecords {
  erasures: number;
  /** Whether an event's body is what it was received as, or what the erasure that redacted it left. */
  check(row: RedactionCheck): { ok: true; redacted: boolean } | { ok: false; reason: string };
  /** An event some record names that the walk never met redacted. */
  unseen(): { position: number; reason: string } | null;
}

/**
 * Every erasure record in the log, by the events it names (a later record of the same event wins:
 * an event naming two customers is redacted twice). Records are never redacted themselves.
 */
export async function loadErasureRecords(pool: Pool | PoolClient): Promise<ErasureRecords> {
  const { rows } = await pool.query<StoredBody & { global_position: string }>(
    `SELECT global_position, raw_body, decoded_body FROM events WHERE event_type = $1 AND signature_status = 'operator' ORDER BY global_position`,
    [ERASURE_RECORD_TYPE],
  );
  const named = new Map<string, Named & { position: number }>();
  for (const row of rows) {
    const data = (parseStoredBody(row) as { data?: any } | undefined)?.data ?? {};
    for (const e of Array.isArray(data.events) ? data.events : []) {
      if (typeof e?.event_id === 'string' && typeof e.redacted_sha256 === 'string') {
        named.set(e.event_id, { erasureId: String(data.erasure_id), redactedSha256: e.redacted_sha256, position: Number(e.position) });
      }
    }
  }
  const seen = new Set<string>();
  return {
    erasures: rows.length,
    check(row) {
      const record = row.event_id === null ? undefined : named.get(row.event_id);
      if (row.original_sha256 === null) {
        if (record) return { ok: false, reason: `erasure ${record.erasureId} redacted this event, but the event no longer says so` };
        return { ok: true, redacted: false };
      }
      if (!record) return { ok: false, reason: 'the event is marked redacted, but no erasure record on the chain names it' };
      seen.add(row.event_id!);
      if (record.erasureId !== row.redacted_by) return { ok: false, reason: `the event names erasure ${row.redacted_by}, but erasure ${record.erasureId} redacted it last` };
      if (record.redactedSha256 !== row.body_sha256.toString('hex')) {
        return { ok: false, reason: `the raw body differs from what erasure ${record.erasureId} left: it was changed outside an erasure` };
      }
      return { ok: true, redacted: true };
    },
    unseen() {
      for (const [eventId, record] of named) {
        if (!seen.has(eventId)) return { position: record.position, reason: `erasure ${record.erasureId} names event ${eventId}, which is not in the log as it left it` };
      }
      return null;
    },
  };
}
