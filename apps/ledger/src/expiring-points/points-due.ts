import type { Pool } from 'pg';

/**
 * The points due to expire per card between two days ($1 inclusive, $2 exclusive), as a CTE
 * `due (campaign_id, voucher_id, expires_at, points, read_at)`: a campaign's point buckets where
 * they were read from Voucherify, else each card's next expiry as its newest snapshot told it.
 * `$3` narrows it to one campaign (null: all) or to a list of cards. Sums over it stay numeric:
 * a sender's cards may each say up to 2^53 points, past what a bigint holds once added.
 */
export function dueSql(scope: 'campaign' | 'cards'): string {
  const bucket = scope === 'campaign' ? '($3::text IS NULL OR b.campaign_id = $3)' : 'b.voucher_id = ANY($3::text[])';
  const card = scope === 'campaign' ? '($3::text IS NULL OR c.campaign_id = $3)' : 'c.voucher_id = ANY($3::text[])';
  return `
  WITH reads AS (SELECT campaign_id, read_at FROM point_expiry_reads WHERE read_at IS NOT NULL),
  due AS (
    SELECT b.campaign_id, b.voucher_id, b.expires_at, b.points, r.read_at
    FROM point_expiry_buckets b JOIN reads r USING (campaign_id)
    WHERE ${bucket} AND b.expires_at >= $1::date AND b.expires_at < $2::date
    UNION ALL
    SELECT c.campaign_id, c.voucher_id, c.next_expiration_date, c.next_expiration_points, c.counters_at
    FROM loyalty_cards c
    WHERE ${card} AND c.campaign_id IS NOT NULL AND NOT c.deleted
      AND c.next_expiration_date >= $1::date AND c.next_expiration_date < $2::date AND c.next_expiration_points > 0
      AND NOT EXISTS (SELECT 1 FROM reads r WHERE r.campaign_id = c.campaign_id)
  )`;
}

export interface CardExpiring {
  points: number;
  source: 'voucherify_export' | 'webhooks';
  readAt: string | null;
}

/** Each card's points due between the two days, and where the figure comes from. Cards with none are absent. */
export async function expiringOfCards(db: Pick<Pool, 'query'>, voucherIds: string[], fromDay: string, toDay: string): Promise<Map<string, CardExpiring>> {
  if (voucherIds.length === 0) return new Map();
  const { rows } = await db.query({
    name: 'expiring-points-of-cards',
    text: `${dueSql('cards')}
      SELECT d.voucher_id, sum(d.points)::text AS points, max(d.read_at) AS read_at,
             EXISTS (SELECT 1 FROM reads r WHERE r.campaign_id = max(d.campaign_id)) AS from_export
      FROM due d GROUP BY d.voucher_id`,
    values: [fromDay, toDay, voucherIds],
  });
  return new Map(
    rows.map((r) => [r.voucher_id, { points: Number(r.points), source: r.from_export ? 'voucherify_export' : 'webhooks', readAt: r.read_at ? (r.read_at as Date).toISOString() : null }]),
  );
}
