import type { Pool } from 'pg';
import type { DeferredRevenueDto, RevenuePositionDto } from './deferred-revenue.dto';

/*
 * Deferred revenue by the cumulative method of IFRS 15 / ASC 606 (docs/deferred-revenue.md), per
 * campaign at any time t, over what the ledger booked before t and the estimate in force at t:
 *   allocated = issued × value per point; expected = issued × expected share;
 *   recognised = allocated × min(1, redeemed ÷ expected); deferred = allocated − recognised.
 * A period's revenue is recognised at its end − recognised at its start, so a changed estimate is
 * caught up in the period it takes effect in and never restates an earlier one. All in PostgreSQL's
 * numeric (exact decimals); amounts rounded to the cent, half away from zero, before any
 * difference is taken, so every figure adds up to the cent.
 */

/** The movement kinds that issue points, and those that redeem them (a refund gives redeemed points back). */
export const ISSUING_KINDS = ['accrued', 'added', 'pending_activated'];
export const REDEEMING_KINDS = ['redeemed', 'refunded'];

/**
 * Per (campaign, time): points issued and redeemed before the time, and the estimate in force at
 * it (the newest one effective strictly before: an estimate effective from a period's start is
 * caught up in that period, not in the one that ends there).
 */
const POSITIONS_SQL = `
  WITH x AS (SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS x(campaign_id, at))
  SELECT x.campaign_id, x.at, est.currency, est.event_id, est.value_per_point::text, est.expected_redemption_share::text,
         t.issued::text AS issued, t.redeemed::text AS redeemed,
         (t.issued * est.expected_redemption_share)::text AS expected,
         round(t.issued * est.value_per_point, 2)::text AS allocated,
         round(CASE WHEN t.issued * est.expected_redemption_share = 0 THEN t.issued * est.value_per_point
                    WHEN t.redeemed >= t.issued * est.expected_redemption_share THEN t.issued * est.value_per_point
                    WHEN t.redeemed <= 0 THEN 0
                    -- Multiplied before divided: an exact half cent stays one, and rounds away from zero.
                    ELSE t.issued * est.value_per_point * t.redeemed / (t.issued * est.expected_redemption_share) END, 2)::text AS recognised
  FROM x
  JOIN LATERAL (
    SELECT currency, event_id, value_per_point, expected_redemption_share FROM campaign_revenue_estimates r
    WHERE r.campaign_id = x.campaign_id AND r.effective_from < x.at ORDER BY r.effective_from DESC LIMIT 1) est ON true
  CROSS JOIN LATERAL (
    SELECT COALESCE(sum(e.points) FILTER (WHERE e.kind = ANY($3::text[])), 0)::numeric AS issued,
           COALESCE(-sum(e.points) FILTER (WHERE e.kind = ANY($4::text[])), 0)::numeric AS redeemed
    FROM ledger_entries e
    WHERE e.campaign_id = x.campaign_id AND e.unit = 'points' AND (e.occurred_at < x.at OR e.occurred_at IS NULL)) t`;

interface PositionRow {
  campaign_id: string;
  at: Date;
  currency: string;
  event_id: string;
  value_per_point: string;
  expected_redemption_share: string;
  issued: string;
  redeemed: string;
  expected: string;
  allocated: string;
  recognised: string;
}

/** Exact difference of two decimal strings of two places (cents as integers: no float rounding). */
export function centsDifference(a: string, b: string): string {
  const cents = (v: string) => BigInt(v.replace('.', ''));
  const d = cents(a) - cents(b);
  const sign = d < 0n ? '-' : '';
  const abs = (d < 0n ? -d : d).toString().padStart(3, '0');
  return `${sign}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

function position(row: PositionRow): RevenuePositionDto {
  return {
    at: row.at.toISOString(),
    value_per_point: row.value_per_point,
    expected_redemption_share: row.expected_redemption_share,
    estimate_event_id: row.event_id,
    points_issued: Number(row.issued),
    points_redeemed: Number(row.redeemed),
    points_expected_to_be_redeemed: row.expected,
    allocated_value: row.allocated,
    recognised_to_date: row.recognised,
    deferred: centsDifference(row.allocated, row.recognised),
  };
}

/** The campaigns' positions at each of the times, keyed by campaign then time (ISO). Campaigns with no estimate by a time have none then. */
export async function revenuePositions(pool: Pick<Pool, 'query'>, campaignIds: string[], times: string[]): Promise<Map<string, Map<string, { currency: string; position: RevenuePositionDto }>>> {
  const pairs = campaignIds.flatMap((campaign) => times.map((at) => ({ campaign, at })));
  const out = new Map<string, Map<string, { currency: string; position: RevenuePositionDto }>>();
  if (pairs.length === 0) return out;
  const { rows } = await pool.query<PositionRow>({
    name: 'ledger-revenue-positions',
    text: POSITIONS_SQL,
    values: [pairs.map((p) => p.campaign), pairs.map((p) => p.at), ISSUING_KINDS, REDEEMING_KINDS],
  });
  for (const row of rows) {
    const byTime = out.get(row.campaign_id) ?? new Map();
    byTime.set(row.at.toISOString(), { currency: row.currency, position: position(row) });
    out.set(row.campaign_id, byTime);
  }
  return out;
}

/** Each campaign's deferred revenue over [from, to); campaigns with no estimate by `to` get none. */
export async function deferredRevenue(pool: Pick<Pool, 'query'>, campaignIds: string[], from: string, to: string): Promise<Map<string, DeferredRevenueDto>> {
  const start = new Date(from).toISOString();
  const end = new Date(to).toISOString();
  const positions = await revenuePositions(pool, campaignIds, [start, end]);
  const out = new Map<string, DeferredRevenueDto>();
  for (const [campaignId, byTime] of positions) {
    const opening = byTime.get(start) ?? null;
    const closing = byTime.get(end) ?? null;
    if (!closing) continue;
    const sameCurrency = !opening || opening.currency === closing.currency;
    out.set(campaignId, {
      currency: closing.currency,
      opening: opening?.position ?? null,
      closing: closing.position,
      recognised_in_period: sameCurrency ? centsDifference(closing.position.recognised_to_date, opening?.position.recognised_to_date ?? '0.00') : null,
    });
  }
  return out;
}
