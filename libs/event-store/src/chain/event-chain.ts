import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Projection } from '../projector/log-event';

/** The projector-style name of the chainer: its checkpoint row in projection_checkpoints. */
export const EVENT_CHAIN = 'event_chain';
export const GENESIS_HASH = Buffer.alloc(32);

export interface ChainedFields {
  eventId: string;
  type: string;
  occurredAtRaw: string | null;
  rawBody: Buffer;
}

const SEPARATOR = Buffer.from([0]);

/** SHA-256 over the previous hash and the event's identity, type, source time and exact bytes. */
export function linkHash(previous: Buffer, event: ChainedFields): Buffer {
  return createHash('sha256')
    .update(previous)
    .update(event.eventId)
    .update(SEPARATOR)
    .update(event.type)
    .update(SEPARATOR)
    .update(event.occurredAtRaw ?? '')
    .update(SEPARATOR)
    .update(event.rawBody)
    .digest();
}

async function lastLink(client: PoolClient): Promise<{ seq: number; hash: Buffer }> {
  const result = await client.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM event_chain ORDER BY seq DESC LIMIT 1');
  return result.rows[0] ? { seq: Number(result.rows[0].seq), hash: result.rows[0].hash } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * Chains events in the order projectors read them (commit-safe order), a batch at a time, after
 * they are committed: appends never wait for the chain. Driven by the projection runner, so one
 * process chains at a time and the link rows and the checkpoint commit together.
 */
export const eventChainProjection: Projection = {
  name: EVENT_CHAIN,
  async apply(client, events) {
    const rows = await client.query<{ global_position: string; event_id: string; event_type: string; occurred_at_raw: string | null; raw_body: Buffer }>(
      `SELECT global_position, event_id, event_type, occurred_at_raw, raw_body FROM events WHERE global_position = ANY($1::bigint[])`,
      [events.map((e) => e.position)],
    );
    const byPosition = new Map(rows.rows.map((r) => [Number(r.global_position), r]));
    let { seq, hash } = await lastLink(client);
    const seqs: number[] = [];
    const positions: number[] = [];
    const previous: Buffer[] = [];
    const hashes: Buffer[] = [];
    for (const event of events) {
      const row = byPosition.get(event.position)!;
      const next = linkHash(hash, { eventId: row.event_id, type: row.event_type, occurredAtRaw: row.occurred_at_raw, rawBody: row.raw_body });
      seqs.push(++seq);
      positions.push(event.position);
      previous.push(hash);
      hashes.push(next);
      hash = next;
    }
    await client.query(
      `INSERT INTO event_chain (seq, global_position, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[])`,
      [seqs, positions, previous, hashes],
    );
    return [];
  },
};

export interface ChainVerification {
  ok: boolean;
  /** Links checked. */
  checked: number;
  /** Events in the log not chained yet (the chainer runs behind the commits). */
  unchained: number;
  firstBrokenLink?: { seq: number; position: number; reason: string };
}

/**
 * Walks the chain from the start, recomputing every link from the events as stored now. The
 * first link whose hash differs (an event edited, removed or inserted) is reported.
 */
export async function verifyChain(pool: Pool, pageSize = 1000): Promise<ChainVerification> {
  let previous = GENESIS_HASH;
  let checked = 0;
  for (let after = 0; ; ) {
    const page = await pool.query<{
      seq: string;
      global_position: string;
      prev_hash: Buffer;
      hash: Buffer;
      event_id: string | null;
      event_type: string | null;
      occurred_at_raw: string | null;
      raw_body: Buffer | null;
    }>(
      `SELECT c.seq, c.global_position, c.prev_hash, c.hash, e.event_id, e.event_type, e.occurred_at_raw, e.raw_body
       FROM event_chain c LEFT JOIN events e ON e.global_position = c.global_position
       WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`,
      [after, pageSize],
    );
    for (const link of page.rows) {
      const seq = Number(link.seq);
      const position = Number(link.global_position);
      const broken = (reason: string): ChainVerification => ({ ok: false, checked, unchained: 0, firstBrokenLink: { seq, position, reason } });
      if (seq !== checked + 1) return broken(`link ${checked + 1} is missing`);
      if (!link.prev_hash.equals(previous)) return broken('the link does not point at the previous one');
      if (link.event_id === null) return broken('the chained event is gone');
      const expected = linkHash(previous, {
        eventId: link.event_id,
        type: link.event_type!,
        occurredAtRaw: link.occurred_at_raw,
        rawBody: link.raw_body!,
      });
      if (!expected.equals(link.hash)) return broken('the event differs from what was chained (identity, type, source time or bytes)');
      previous = link.hash;
      checked++;
    }
    if (page.rows.length < pageSize) break;
    after = Number(page.rows[page.rows.length - 1].seq);
  }
  const unchained = await pool.query<{ count: string }>(
    `SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.global_position = e.global_position)`,
  );
  return { ok: true, checked, unchained: Number(unchained.rows[0].count) };
}
