import type { PoolClient } from 'pg';
import type { Projection } from '../projector/log-event';
import { GENESIS_HASH, linkHash } from './link-hash';

export * from './link-hash';
export * from './verify-chain';
export * from './chain-head';

/** The projector-style name of the chainer: its checkpoint row in projection_checkpoints. */
export const EVENT_CHAIN = 'event_chain';

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
    // An event already redacted by an erasure (the chainer runs behind) is chained by the hash it arrived with.
    const rows = await client.query<{ global_position: string; event_id: string; event_type: string; occurred_at_raw: string | null; body_sha256: Buffer }>(
      `SELECT global_position, event_id, event_type, occurred_at_raw, COALESCE(original_sha256, sha256(raw_body)) AS body_sha256
       FROM events WHERE global_position = ANY($1::bigint[])`,
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
      const next = linkHash(hash, { eventId: row.event_id, type: row.event_type, occurredAtRaw: row.occurred_at_raw, bodySha256: row.body_sha256 });
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

export * from './erasure-records';
