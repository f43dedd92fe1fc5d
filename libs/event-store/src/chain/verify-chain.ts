import { isUtf8 } from 'node:buffer';
import type { Pool, PoolClient } from 'pg';
import { parseStoredBody, sameJson } from '../stored-body';

/** A pool, or one client holding a snapshot (verifyLog reads the whole log in one REPEATABLE READ transaction). */
type Db = Pool | PoolClient;
import { GENESIS_HASH, linkHash } from './link-hash';
import { loadErasureRecords, RedactionCheck } from './erasure-records';

/** The chainer's checkpoint row (also exported as EVENT_CHAIN by event-chain.ts). */
const CHAIN_CHECKPOINT = 'event_chain';

/** Which stored column disagrees with what was chained or with the event's raw bytes. */
export type VerifiedColumn = 'chain' | 'decoded_body' | 'occurred_at' | 'raw_body';

export interface ChainProblem {
  /** The link's sequence number; null for an event that is not on the chain. */
  seq: number | null;
  position: number;
  column: VerifiedColumn;
  reason: string;
}

/** A head kept outside the database (printed by `ledger verify --head`). */
export interface KeptHead {
  position: number;
  hash: Buffer;
}

export interface VerifyChainOptions {
  pageSize?: number;
  /**
   * Re-derives the source time from an event's raw bytes exactly as ingest does. The event store
   * knows nothing of the envelope format, so the caller brings the parser; without it
   * occurred_at is not checked. Throws when the bytes no longer parse.
   */
  deriveOccurredAt?: (rawBody: Buffer) => Date | null;
  /** Also require this link (kept earlier) to still be on the chain with this hash. */
  expectHead?: KeptHead;
}

export interface ChainVerification {
  ok: boolean;
  /** Links checked. */
  checked: number;
  /** Events in the log not chained yet (the chainer runs behind the commits); their columns are checked too. */
  unchained: number;
  /** The first problem found, in chain order, then in position order among unchained events. */
  firstBrokenLink?: ChainProblem;
  /** Only with `expectHead`: whether the kept head is still on the chain. */
  keptHead?: { position: number; hash: string; ok: boolean; reason?: string };
  /** Events whose personal data an erasure removed, checked against the erasures' records on the chain. */
  redactions: { events: number; erasures: number };
  /** The last link checked (the head reached), null while the chain is empty. */
  head: { seq: number; position: number; hash: string } | null;
}

interface StoredColumns {
  global_position: string;
  raw_body: Buffer | null;
  /** The text ingest decoded from bytes that are not UTF-8; null for every other event. */
  decoded_body: string | null;
  /** occurred_at as whole microseconds since the epoch (exact), or its text when infinite. */
  occurred_at_us: string | null;
}

const OCCURRED_AT_US = `CASE WHEN e.occurred_at IS NULL THEN NULL
  WHEN isfinite(e.occurred_at) THEN (extract(epoch FROM e.occurred_at) * 1000000)::bigint::text
  ELSE e.occurred_at::text END`;

function microseconds(date: Date | null): string | null {
  if (date === null) return null;
  const millis = date.getTime();
  return Number.isNaN(millis) ? 'invalid' : (BigInt(millis) * 1000n).toString();
}

/** The same JSON, parsed (the migration that kept a decoded text wrote PostgreSQL's jsonb text of it). */
function sameJsonText(a: string, b: string): boolean {
  try {
    return sameJson(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

/**
 * Checks what one stored event's readers take from it against its raw bytes: the decoded text
 * kept beside bytes that are not UTF-8 (what projections parse then), that the body still parses,
 * and occurred_at. Returns what differs.
 */
function checkColumns(row: StoredColumns, derive: VerifyChainOptions['deriveOccurredAt']): { column: VerifiedColumn; reason: string } | undefined {
  const rawBody = row.raw_body!;
  // The decoded text is the same JSON as the bytes decoded by Node (the migration that kept it wrote PostgreSQL's jsonb text of it).
  if (row.decoded_body !== null && (isUtf8(rawBody) || !sameJsonText(row.decoded_body, rawBody.toString('utf8')))) {
    return { column: 'decoded_body', reason: 'the decoded body is not the JSON of the raw bytes decoded as ingest decodes them' };
  }
  if (parseStoredBody({ raw_body: rawBody, decoded_body: row.decoded_body }) === undefined) return { column: 'raw_body', reason: 'the raw body no longer parses as JSON' };
  if (!derive) return undefined;
  let derived: string | null;
  try {
    derived = microseconds(derive(rawBody));
  } catch (error) {
    return { column: 'raw_body', reason: `the source time cannot be derived from the raw body: ${(error as Error).message}` };
  }
  if (derived !== row.occurred_at_us) {
    return { column: 'occurred_at', reason: 'the occurred_at column differs from the source time in the raw body' };
  }
  return undefined;
}

/**
 * Walks the chain from the start, recomputing every link from the events as stored now, and
 * checks that what each event's readers take from it (its body, occurred_at) is still what its
 * raw bytes say. Then checks the events not chained yet the same way. Streams in
 * keyset pages, so memory stays flat whatever the size of the log. The first problem is reported.
 */
export async function verifyChain(pool: Db, options: VerifyChainOptions = {}): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 1000;
  const expect = options.expectHead;
  let keptHead: ChainVerification['keptHead'];
  const withKeptHead = (result: ChainVerification): ChainVerification => {
    if (!expect) return result;
    const kept = keptHead ?? {
      position: expect.position,
      hash: expect.hash.toString('hex'),
      ok: false,
      reason: result.ok ? `position ${expect.position} is not on the chain` : 'not reached: the chain is broken before it',
    };
    return { ...result, ok: result.ok && kept.ok, keptHead: kept };
  };

  // Read before the walk: links and checkpoint commit together, so every event at or before it is chained by now.
  const checkpoint = await pool.query<{ transaction_id: string; position: string }>(
    `SELECT transaction_id::text, position FROM projection_checkpoints WHERE projection = $1`,
    [CHAIN_CHECKPOINT],
  );
  const chainedUpTo = checkpoint.rows[0] ?? { transaction_id: '0', position: '0' };

  const records = await loadErasureRecords(pool);
  const redactions = { events: 0, erasures: records.erasures };
  let head: ChainVerification['head'] = null;
  const result = (r: Omit<ChainVerification, 'redactions' | 'head'>): ChainVerification => withKeptHead({ ...r, redactions, head });
  // A link that no longer matched when the chain moved to form 2 stays a failure (migration 1764000028000).
  const form = await pool.query<{ v1_broken_seq: string | null; v1_broken_reason: string | null }>(
    `SELECT v1_broken_seq, v1_broken_reason FROM chain_forms WHERE form = 2 AND v1_broken_seq IS NOT NULL`,
  );
  if (form.rows[0]) {
    const seq = Number(form.rows[0].v1_broken_seq);
    const at = await pool.query<{ global_position: string }>(`SELECT global_position FROM event_chain WHERE seq = $1`, [seq]);
    return result({
      ok: false,
      checked: 0,
      unchained: 0,
      firstBrokenLink: { seq, position: Number(at.rows[0]?.global_position ?? 0), column: 'chain', reason: `before the chain moved to form 2: ${form.rows[0].v1_broken_reason}` },
    });
  }

  let previous = GENESIS_HASH;
  let checked = 0;
  for (let after = 0; ; ) {
    const { rows: page } = await pool.query<StoredColumns & ChainedRow & { seq: string; prev_hash: Buffer; hash: Buffer; v1_hash: Buffer | null }>(
      `SELECT c.seq, c.global_position, c.prev_hash, c.hash, c.v1_hash, e.event_id, e.event_type, e.occurred_at_raw, e.raw_body,
              sha256(e.raw_body) AS body_sha256, e.original_sha256, e.redacted_by, e.decoded_body, ${OCCURRED_AT_US} AS occurred_at_us
       FROM event_chain c LEFT JOIN events e ON e.global_position = c.global_position
       WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`,
      [after, pageSize],
    );
    for (const link of page) {
      const seq = Number(link.seq);
      const position = Number(link.global_position);
      const broken = (column: VerifiedColumn, reason: string): ChainVerification =>
        result({ ok: false, checked, unchained: 0, firstBrokenLink: { seq, position, column, reason } });
      if (seq !== checked + 1) return broken('chain', `link ${checked + 1} is missing`);
      if (!link.prev_hash.equals(previous)) return broken('chain', 'the link does not point at the previous one');
      if (link.event_id === null) return broken('chain', 'the chained event is gone');
      const redaction = records.check(link);
      if (!redaction.ok) return broken('raw_body', redaction.reason);
      const expected = linkHash(previous, {
        eventId: link.event_id,
        type: link.event_type!,
        occurredAtRaw: link.occurred_at_raw ?? null,
        bodySha256: link.original_sha256 ?? link.body_sha256,
      });
      if (!expected.equals(link.hash)) return broken('chain', 'the event differs from what was chained (identity, type, source time or bytes)');
      const differs = checkColumns(link, options.deriveOccurredAt);
      if (differs) return broken(differs.column, differs.reason);
      if (redaction.redacted) redactions.events++;
      if (expect && position === expect.position) {
        // A head kept before the chain moved to form 2 is the link's form-1 hash.
        const ok = link.hash.equals(expect.hash) || (link.v1_hash !== null && link.v1_hash.equals(expect.hash));
        keptHead = { position, hash: expect.hash.toString('hex'), ok };
        if (!keptHead.ok) keptHead.reason = `the link at position ${position} now has hash ${link.hash.toString('hex')}: the chain was rewritten since the head was kept`;
      }
      previous = link.hash;
      head = { seq, position, hash: link.hash.toString('hex') };
      checked++;
    }
    if (page.length < pageSize) break;
    after = Number(page[page.length - 1].seq);
  }

  let unchained = 0;
  for (let after = 0; ; ) {
    const { rows: page } = await pool.query<StoredColumns & ChainedRow & { behind_chainer: boolean }>(
      `SELECT e.global_position, e.event_id, e.raw_body, sha256(e.raw_body) AS body_sha256, e.original_sha256, e.redacted_by,
              e.decoded_body, ${OCCURRED_AT_US} AS occurred_at_us,
              (e.transaction_id, e.global_position) <= ($3::xid8, $4::bigint) AS behind_chainer
       FROM events e
       WHERE e.global_position > $1 AND NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.global_position = e.global_position)
       ORDER BY e.global_position LIMIT $2`,
      [after, pageSize, chainedUpTo.transaction_id, chainedUpTo.position],
    );
    for (const row of page) {
      const position = Number(row.global_position);
      const broken = (column: VerifiedColumn, reason: string): ChainVerification =>
        result({ ok: false, checked, unchained, firstBrokenLink: { seq: null, position, column, reason } });
      // The chainer passed it without a link: it was slipped in behind its back (or its link removed).
      if (row.behind_chainer) return broken('chain', 'the event is not on the chain although the chainer has passed it');
      const redaction = records.check(row);
      if (!redaction.ok) return broken('raw_body', redaction.reason);
      if (redaction.redacted) redactions.events++;
      const differs = checkColumns(row, options.deriveOccurredAt);
      if (differs) return broken(differs.column, differs.reason);
      unchained++;
    }
    if (page.length < pageSize) break;
    after = Number(page[page.length - 1].global_position);
  }
  const unnamed = records.unseen();
  if (unnamed) return result({ ok: false, checked, unchained, firstBrokenLink: { seq: null, position: unnamed.position, column: 'raw_body', reason: unnamed.reason } });
  return result({ ok: true, checked, unchained });
}

/** The columns of an event the redaction check reads. */
type ChainedRow = RedactionCheck & { event_id: string | null; event_type?: string | null; occurred_at_raw?: string | null };
