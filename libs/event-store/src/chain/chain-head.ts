import type { Pool } from 'pg';
import type { KeptHead } from './verify-chain';

/** The newest link of the chain: what an operator keeps outside the database. */
export interface ChainHead {
  seq: number;
  position: number;
  /** SHA-256 of the link, hex. */
  hash: string;
  /** When the event of that link was received. */
  receivedAt: Date | null;
}

/** The last link, or null while the chain is empty. One indexed read: cheap enough for a cron job. */
export async function chainHead(pool: Pool): Promise<ChainHead | null> {
  const result = await pool.query<{ seq: string; global_position: string; hash: Buffer; received_at: Date | null }>(
    `SELECT c.seq, c.global_position, c.hash, e.received_at
     FROM event_chain c LEFT JOIN events e ON e.global_position = c.global_position
     ORDER BY c.seq DESC LIMIT 1`,
  );
  const row = result.rows[0];
  if (!row) return null;
  return { seq: Number(row.seq), position: Number(row.global_position), hash: row.hash.toString('hex'), receivedAt: row.received_at };
}

/** A kept head as `<position>:<sha256 hex>`, the form `ledger verify --head` prints and `--expect-head` reads. */
export function formatKeptHead(head: { position: number; hash: string }): string {
  return `${head.position}:${head.hash}`;
}

export function parseKeptHead(text: string): KeptHead | undefined {
  const match = /^(\d{1,18}):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!match) return undefined;
  return { position: Number(match[1]), hash: Buffer.from(match[2], 'hex') };
}
