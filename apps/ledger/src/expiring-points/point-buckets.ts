import type { Pool } from 'pg';
import { inTransaction } from '@ledger/event-store';
import type { PointBucket, VoucherifyApi } from '../reconciliation/voucherify-api';

/*
 * Voucherify's point buckets of a campaign (what will expire when), read through its
 * points-expiration export and kept whole per campaign: each read replaces the last one in one
 * transaction, so a report sees one read or the other, never a mix. A read that fails keeps the
 * last good one (and says it failed).
 */

const ROWS_PER_INSERT = 10_000;

export interface BucketRead {
  campaignId: string;
  buckets: number;
  calls: number;
}

/** Reads the campaign's buckets from Voucherify and stores them in place of the last read. */
export async function readPointBuckets(pool: Pool, api: VoucherifyApi, campaignId: string): Promise<BucketRead> {
  await pool.query(
    `INSERT INTO point_expiry_reads (campaign_id, status, started_at) VALUES ($1, 'reading', clock_timestamp())
     ON CONFLICT (campaign_id) DO UPDATE SET status = 'reading', started_at = clock_timestamp(), error = NULL`,
    [campaignId],
  );
  const callsBefore = api.http.callsSent;
  let buckets: PointBucket[];
  try {
    buckets = await api.exportPointBuckets(campaignId);
  } catch (error) {
    await pool
      .query(`UPDATE point_expiry_reads SET status = 'failed', error = $2, calls = $3 WHERE campaign_id = $1`, [campaignId, (error as Error).message.slice(0, 1000), api.http.callsSent - callsBefore])
      .catch(() => undefined);
    throw error;
  }
  const calls = api.http.callsSent - callsBefore;
  // One bucket id once: a split export may repeat a row at a file's edge.
  const unique = [...new Map(buckets.map((b) => [b.id, b])).values()];
  await inTransaction(pool, {}, async (client) => {
    await client.query(`DELETE FROM point_expiry_buckets WHERE campaign_id = $1`, [campaignId]);
    for (let i = 0; i < unique.length; i += ROWS_PER_INSERT) {
      const part = unique.slice(i, i + ROWS_PER_INSERT);
      await client.query(
        `INSERT INTO point_expiry_buckets (campaign_id, bucket_id, voucher_id, expires_at, points)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::date[], $5::bigint[])`,
        [campaignId, part.map((b) => b.id), part.map((b) => b.voucherId), part.map((b) => b.expiresAt), part.map((b) => b.points)],
      );
    }
    await client.query(`UPDATE point_expiry_reads SET status = 'done', read_at = clock_timestamp(), buckets = $2, calls = $3, error = NULL WHERE campaign_id = $1`, [
      campaignId,
      unique.length,
      calls,
    ]);
  });
  return { campaignId, buckets: buckets.length, calls };
}

/** Campaigns of the ledger whose buckets were never read, or last tried more than `olderThanHours` ago. */
export async function staleCampaigns(pool: Pool, olderThanHours: number): Promise<string[]> {
  const { rows } = await pool.query<{ campaign_id: string }>(
    `SELECT c.campaign_id FROM (SELECT DISTINCT campaign_id FROM loyalty_cards WHERE campaign_id IS NOT NULL AND NOT deleted) c
     LEFT JOIN point_expiry_reads r USING (campaign_id)
     -- Counted from the last attempt, so a failing export is tried again after the same wait, not at every check;
     -- a read left 'reading' for an hour died with its process (a live one holds the lock and ends sooner or fails).
     WHERE r.campaign_id IS NULL
        OR (r.status <> 'reading' AND GREATEST(r.read_at, r.started_at) < clock_timestamp() - make_interval(hours => $1))
        OR (r.status = 'reading' AND r.started_at < clock_timestamp() - interval '1 hour')
     ORDER BY c.campaign_id`,
    [olderThanHours],
  );
  return rows.map((r) => r.campaign_id);
}
