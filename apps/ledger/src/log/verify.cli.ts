import type { Pool } from 'pg';
import { chainHead, ChainVerification, formatKeptHead, KeptHead, verifyChain } from '@ledger/event-store';
import { envelopeSourceTime } from '@ledger/voucherify';

/**
 * The source time of a stored event, derived from its raw bytes by the very steps ingest takes
 * (decode as UTF-8, JSON.parse, the envelope's own source-time reader), so verify follows any
 * change to how ingest reads source times.
 */
export function occurredAtFromRawBody(rawBody: Buffer): Date | null {
  return envelopeSourceTime(JSON.parse(rawBody.toString('utf8'))).occurredAt;
}

/**
 * `ledger verify [--expect-head <position>:<hash>]`: the chain, every event's parsed columns, and a
 * kept head. The outcome is kept (verify_runs): the console's overview shows the last one.
 */
export async function verifyLog(pool: Pool, expectHead?: KeptHead): Promise<ChainVerification> {
  // One snapshot for the whole walk: an erasure that commits meanwhile is either wholly seen (its
  // redactions and its record) or not at all.
  const client = await pool.connect();
  let result: ChainVerification;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    result = await verifyChain(client, { deriveOccurredAt: occurredAtFromRawBody, expectHead });
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
  await pool.query(
    `INSERT INTO verify_runs (ok, checked, unchained, head_position, redacted_events, erasures, problem) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [result.ok, result.checked, result.unchained, result.head?.position ?? null, result.redactions.events, result.redactions.erasures, result.firstBrokenLink ? JSON.stringify(result.firstBrokenLink) : null],
  );
  return result;
}

export interface PrintedHead {
  seq: number;
  position: number;
  hash: string;
  received_at: string | null;
  taken_at: string;
  /** What to keep and pass back to `ledger verify --expect-head`. */
  expect_head: string;
}

/** `ledger verify --head`: the newest link, to keep outside the database (null while the chain is empty). */
export async function printableHead(pool: Pool): Promise<PrintedHead | null> {
  const head = await chainHead(pool);
  if (!head) return null;
  return {
    seq: head.seq,
    position: head.position,
    hash: head.hash,
    received_at: head.receivedAt?.toISOString() ?? null,
    taken_at: new Date().toISOString(),
    expect_head: formatKeptHead(head),
  };
}
