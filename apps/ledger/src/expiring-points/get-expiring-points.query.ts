import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import type { CampaignExpiringPointsDto, ExpiringPointsDto } from './expiring-points.dto';
import { dueSql } from './points-due';
import { monthName, monthOf, monthStart } from '../points-ledger/months';

/**
 * What will expire, per campaign and month, from today on. A campaign whose point buckets were read
 * from Voucherify (point-buckets.ts) answers from them; any other from what the webhooks told:
 * each card's next expiry (`loyalty_card.next_expiration_*` of its newest snapshot), a lower bound.
 */
export class GetExpiringPointsQuery extends Query<{ report: ExpiringPointsDto; cards: ExpiringCardRow[] }> {
  constructor(
    readonly campaignId: string | undefined,
    readonly months: number,
    readonly now: Date,
    /** Also the per-card rows (the CSV). */
    readonly withCards: boolean,
  ) {
    super();
  }
}

export interface ExpiringCardRow {
  campaign_id: string;
  voucher_id: string;
  code: string | null;
  month: string;
  points: number;
  source: string;
  read_at: string | null;
}

/** Per campaign and month (the JSON). */
const BY_MONTH_SQL = `${dueSql('campaign')}
  SELECT campaign_id, to_char(expires_at, 'YYYY-MM') AS month, sum(points)::text AS points, count(DISTINCT voucher_id)::int AS cards, max(read_at) AS read_at
  FROM due GROUP BY campaign_id, month`;

/** Per card and month (the CSV). */
const BY_CARD_SQL = `${dueSql('campaign')}
  SELECT d.campaign_id, d.voucher_id, c.code, to_char(d.expires_at, 'YYYY-MM') AS month, sum(d.points)::text AS points, max(d.read_at) AS read_at
  FROM due d LEFT JOIN loyalty_cards c ON c.voucher_id = d.voucher_id
  GROUP BY d.campaign_id, d.voucher_id, c.code, month
  ORDER BY d.campaign_id, d.voucher_id, month`;

/** Every campaign the answer names: the ledger's, with the state of its last read. */
const CAMPAIGNS_SQL = `
  SELECT c.campaign_id, max(c.campaign_name) AS campaign_name, r.read_at, CASE WHEN r.status = 'failed' THEN r.error END AS read_error,
         (r.read_at IS NOT NULL) AS read
  FROM loyalty_cards c LEFT JOIN point_expiry_reads r USING (campaign_id)
  WHERE c.campaign_id IS NOT NULL AND ($1::text IS NULL OR c.campaign_id = $1)
  GROUP BY c.campaign_id, r.read_at, r.status, r.error
  ORDER BY c.campaign_id`;


@QueryHandler(GetExpiringPointsQuery)
export class GetExpiringPointsHandler implements IQueryHandler<GetExpiringPointsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ campaignId, months, now, withCards }: GetExpiringPointsQuery): Promise<{ report: ExpiringPointsDto; cards: ExpiringCardRow[] }> {
    const from = now.toISOString().slice(0, 10);
    const first = monthOf(now.toISOString());
    const to = monthStart(first + months).slice(0, 10);
    const values = [from, to, campaignId ?? null];
    const [byMonth, campaigns, byCard] = await Promise.all([
      this.pool.query({ name: 'expiring-points-by-month', text: BY_MONTH_SQL, values }),
      this.pool.query({ name: 'expiring-points-campaigns', text: CAMPAIGNS_SQL, values: [campaignId ?? null] }),
      withCards ? this.pool.query({ name: 'expiring-points-by-card', text: BY_CARD_SQL, values }) : Promise.resolve({ rows: [] }),
    ]);
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    const window = Array.from({ length: months }, (_, i) => monthName(first + i));
    const report: CampaignExpiringPointsDto[] = campaigns.rows.map((c) => {
      const mine = byMonth.rows.filter((r) => r.campaign_id === c.campaign_id);
      const figures = window.map((month) => {
        const row = mine.find((r) => r.month === month);
        return { month, points: row ? Number(row.points) : 0, cards: row?.cards ?? 0 };
      });
      // From webhooks: the newest snapshot that told an expiry in the window.
      const told = mine.reduce<Date | null>((latest, r) => (r.read_at && (!latest || r.read_at > latest) ? r.read_at : latest), null);
      return {
        campaign_id: c.campaign_id,
        campaign_name: c.campaign_name,
        source: c.read ? 'voucherify_export' : 'webhooks',
        read_at: iso(c.read ? c.read_at : told),
        read_error: c.read_error,
        months: figures,
        total_points: figures.reduce((sum, m) => sum + m.points, 0),
      };
    });
    const cards: ExpiringCardRow[] = byCard.rows.map((r: any) => {
      const read = campaigns.rows.find((c) => c.campaign_id === r.campaign_id)?.read ?? false;
      return { ...r, points: Number(r.points), source: read ? 'voucherify_export' : 'webhooks', read_at: iso(r.read_at) };
    });
    return { report: { from: `${from}T00:00:00.000Z`, to: `${to}T00:00:00.000Z`, campaigns: report }, cards };
  }
}
