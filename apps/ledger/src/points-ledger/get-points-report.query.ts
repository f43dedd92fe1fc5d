import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import type { CampaignReportDto, PointsReportDto } from './ledger.dto';
import { campaignReports, ReportFigure } from './points-report';
import { deferredRevenue } from './deferred-revenue';
import { DELETED_AT } from './ledger-as-of';
import { bookPriorPeriods, closingOf, loadPeriodContext, PeriodClosedError, storedReport } from './closed-periods';

export interface PointsReportQuery {
  /** Inclusive. */
  from: string;
  /** Exclusive. */
  to: string;
  campaignId?: string;
  /** When an expiry counts: when Voucherify's job took the points off (booked), or when they were due. */
  expiryBasis: ExpiryBasis;
}

export const EXPIRY_BASES = ['booked', 'due'] as const;
export type ExpiryBasis = (typeof EXPIRY_BASES)[number];

/** The period report per campaign over the ledger: opening, movements by kind, closing, liability. */
export class GetPointsReportQuery extends Query<PointsReportDto> {
  constructor(readonly report: PointsReportQuery) {
    super();
  }
}

/** Each card's last entry before a time (a missing time is the oldest): its balance is the card's balance then. */
const LAST_BEFORE = (bound: string) => `
  SELECT DISTINCT ON (voucher_id) voucher_id, campaign_id, balance_after FROM ledger_entries
  WHERE unit = 'points' AND (occurred_at < ${bound} OR occurred_at IS NULL)
  ORDER BY voucher_id, occurred_at DESC NULLS LAST, seq DESC`;

/**
 * One query, one row per figure: (campaign, name of the figure, value). Each card belongs to the
 * campaign of its last entry before the period's end, and its movements are counted there, so
 * opening + Σ movements = closing holds per campaign by construction: a card's closing balance
 * is its opening balance plus the points and the unexplained points (gaps) of its entries in
 * between, entry by entry. The balances at both ends are one sorted pass each over the entries
 * before them (measured faster than an index probe per card once a report spans many cards).
 */
const REPORT_SQL = `
  WITH opening AS (${LAST_BEFORE('$1')}),
  closing AS (${LAST_BEFORE('$2')}),
  -- By due date ($4 = 'due'): the expiries whose due date and booking straddle a bound move to the
  -- period of their due date, in the balances at both ends as in the movements, so opening + Σ
  -- movements = closing still holds.
  straddling AS (
    SELECT e.voucher_id, e.campaign_id, e.points, e.occurred_at, e.due_at FROM ledger_entries e
    WHERE $4 = 'due' AND e.due_at IS NOT NULL AND e.unit = 'points' AND e.kind = 'expired'
      AND ((e.due_at < $1 AND e.occurred_at >= $1) OR (e.due_at < $2 AND e.occurred_at >= $2)
        OR (e.due_at >= $1 AND e.due_at < $2 AND NOT (e.occurred_at >= $1 AND e.occurred_at < $2)))
  ),
  per_card AS (
    SELECT voucher_id, COALESCE(c.campaign_id, o.campaign_id) AS campaign_id,
           COALESCE(o.balance_after, 0) AS opening, COALESCE(c.balance_after, 0) AS closing, c.voucher_id IS NOT NULL AS existed
    FROM closing c FULL JOIN opening o USING (voucher_id)
    -- A card whose first entry comes after the period, with an expiry due in it or before it: by due date it moved already.
    UNION ALL
    SELECT DISTINCT ON (s.voucher_id) s.voucher_id, s.campaign_id, 0, 0, false FROM straddling s
    WHERE NOT EXISTS (SELECT 1 FROM closing c WHERE c.voucher_id = s.voucher_id)
  ),
  cards AS (SELECT * FROM per_card WHERE $3::text IS NULL OR campaign_id = $3),
  booked AS (
    SELECT e.voucher_id, e.kind, e.points, e.gap_before, e.occurred_at, e.due_at FROM ledger_entries e
    WHERE e.unit = 'points' AND e.occurred_at >= $1 AND e.occurred_at < $2
  ),
  shift AS (
    SELECT voucher_id,
           COALESCE(sum(points) FILTER (WHERE due_at < $1 AND occurred_at >= $1), 0) AS at_opening,
           COALESCE(sum(points) FILTER (WHERE due_at < $2 AND occurred_at >= $2), 0) AS at_closing
    FROM straddling GROUP BY voucher_id
  ),
  moves AS (
    SELECT voucher_id, kind, sum(points) AS points, sum(gap_before) AS unexplained FROM (
      SELECT voucher_id, kind, CASE WHEN $4 = 'due' AND kind = 'expired' AND due_at IS NOT NULL AND NOT (due_at >= $1 AND due_at < $2) THEN 0 ELSE points END AS points, gap_before FROM booked
      UNION ALL SELECT voucher_id, 'expired', points, 0 FROM straddling WHERE due_at >= $1 AND due_at < $2
    ) m GROUP BY voucher_id, kind
  )
  SELECT campaign_id, 'opening_balance' AS figure, sum(opening + COALESCE(s.at_opening, 0)) AS value FROM cards LEFT JOIN shift s USING (voucher_id) GROUP BY campaign_id
  UNION ALL SELECT campaign_id, 'closing_balance', sum(closing + COALESCE(s.at_closing, 0)) FROM cards LEFT JOIN shift s USING (voucher_id) GROUP BY campaign_id
  UNION ALL SELECT campaign_id, 'cards', count(*) FILTER (WHERE existed) FROM cards GROUP BY campaign_id
  UNION ALL SELECT p.campaign_id, m.kind, sum(m.points) FROM moves m JOIN cards p USING (voucher_id) GROUP BY p.campaign_id, m.kind
  UNION ALL SELECT p.campaign_id, 'unexplained', sum(m.unexplained) FROM moves m JOIN cards p USING (voucher_id) GROUP BY p.campaign_id`;

/**
 * The pending ledger's figures, in the same form: each card's pending points after its last
 * movement before each end, and the period's movements and gaps, so opening + movements +
 * unexplained = closing holds per campaign as it does for points. A card belongs to the campaign
 * its pending movements name. Its figures are named `pending:<figure>`, apart from the points'
 * movement kinds (`pending_activated` is one). A card deleted, or whose campaign was deleted (a
 * deletion of unknown time counts from the start, as in the as-of answers), holds no pending
 * points from then on: what it held is written off at the deletion, and its later movements (late
 * webhooks) are kept in its pending ledger but counted nowhere.
 */
const LAST_PENDING_BEFORE = (bound: string) => `
  SELECT DISTINCT ON (voucher_id) voucher_id, campaign_id, pending_after FROM pending_point_movements
  WHERE occurred_at < ${bound} OR occurred_at IS NULL
  ORDER BY voucher_id, occurred_at DESC NULLS LAST, seq DESC`;
const PENDING_SQL = `
  WITH gone AS (
    SELECT voucher_id, deleted_at FROM (SELECT lc.voucher_id, ${DELETED_AT} AS deleted_at FROM loyalty_cards lc) d WHERE deleted_at IS NOT NULL
  ),
  opening AS (${LAST_PENDING_BEFORE('$1')}),
  closing AS (${LAST_PENDING_BEFORE('$2')}),
  cards AS (
    SELECT voucher_id, COALESCE(c.campaign_id, o.campaign_id) AS campaign_id, g.deleted_at,
           CASE WHEN g.deleted_at < $1 THEN 0 ELSE COALESCE(o.pending_after, 0) END AS opening,
           CASE WHEN g.deleted_at < $2 THEN 0 ELSE COALESCE(c.pending_after, 0) END AS closing
    FROM closing c FULL JOIN opening o USING (voucher_id) LEFT JOIN gone g USING (voucher_id)
    WHERE $3::text IS NULL OR COALESCE(c.campaign_id, o.campaign_id) = $3
  ),
  moves AS (
    SELECT m.voucher_id, m.movement, sum(m.points) AS points, sum(m.gap_before) AS unexplained FROM pending_point_movements m
    LEFT JOIN gone g USING (voucher_id)
    WHERE m.occurred_at >= $1 AND m.occurred_at < $2 AND (g.deleted_at IS NULL OR m.occurred_at < g.deleted_at)
    GROUP BY m.voucher_id, m.movement
  ),
  written_off AS (
    SELECT p.campaign_id, -COALESCE((
      SELECT m.pending_after FROM pending_point_movements m
      WHERE m.voucher_id = p.voucher_id AND (m.occurred_at < p.deleted_at OR m.occurred_at IS NULL)
      ORDER BY m.occurred_at DESC NULLS LAST, m.seq DESC LIMIT 1), 0) AS points
    FROM cards p WHERE p.deleted_at >= $1 AND p.deleted_at < $2
  )
  SELECT campaign_id, 'pending:opening' AS figure, sum(opening) AS value FROM cards GROUP BY campaign_id
  UNION ALL SELECT campaign_id, 'pending:closing', sum(closing) FROM cards GROUP BY campaign_id
  UNION ALL SELECT p.campaign_id, 'pending:' || m.movement, sum(m.points) FROM moves m JOIN cards p USING (voucher_id) GROUP BY p.campaign_id, m.movement
  UNION ALL SELECT p.campaign_id, 'pending:unexplained', sum(m.unexplained) FROM moves m JOIN cards p USING (voucher_id) GROUP BY p.campaign_id
  UNION ALL SELECT campaign_id, 'pending:written_off', sum(points) FROM written_off GROUP BY campaign_id`;

/** A campaign's name from its newest card that names it (the ledger's entries carry no names). */
const NAMES_SQL = `
  SELECT DISTINCT ON (campaign_id) campaign_id, campaign_name FROM loyalty_cards
  WHERE campaign_id = ANY($1::text[]) AND campaign_name IS NOT NULL ORDER BY campaign_id, updated_at DESC NULLS LAST`;

/** The point value in force at each end of the period, and the liability it gives (numeric: exact decimals). */
const LIABILITY_SQL = `
  SELECT x.campaign_id, x.at_end, v.currency, (x.balance * v.value)::text AS liability, v.value::text AS value
  FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::numeric[]) AS x(campaign_id, at_end, at, balance)
  JOIN LATERAL (
    SELECT value, currency FROM campaign_point_values
    WHERE campaign_id = x.campaign_id AND effective_from <= x.at
    ORDER BY effective_from DESC LIMIT 1) v ON true`;

/**
 * The period report with the closings applied: a closed month answers the report kept at its
 * closing; a range across a closed month is refused (a closed month is reported alone); the first
 * open month after closed ones books what changed in them since as prior-period adjustments.
 */
export async function pointsReport(db: ReportSource, report: PointsReportQuery): Promise<PointsReportDto> {
  const context = await loadPeriodContext(db, report.from, report.to);
  if (context.kind === 'closed') return storedReport(context.period, report);
  if (context.kind === 'spans-closed') throw new PeriodClosedError(context.months);
  const live = context.kind === 'after-closed' ? await bookPriorPeriods(db, context.run, report, liveReport) : await liveReport(db, report);
  live.period = context.period ? closingOf(context.period) : null;
  return live;
}

/** What the report's SQL runs on: the pool, or a client holding one snapshot (a closing). */
export type ReportSource = Pick<Pool, 'query'>;

/**
 * The report as the ledger's entries give it now, with no regard to closed months. `adjust` runs
 * once the campaigns' figures are in and before the money is: the closings' prior-period
 * adjustments change the opening balance, whose liability follows.
 */
export async function liveReport(db: ReportSource, report: PointsReportQuery, adjust?: (campaigns: CampaignReportDto[]) => Promise<void>): Promise<PointsReportDto> {
  const [figures, pending] = await Promise.all([
    db.query<ReportFigure>({ name: 'ledger-points-report', text: REPORT_SQL, values: [report.from, report.to, report.campaignId ?? null, report.expiryBasis] }),
    db.query<ReportFigure>({ name: 'ledger-pending-report', text: PENDING_SQL, values: [report.from, report.to, report.campaignId ?? null] }),
  ]);
  const campaigns = campaignReports([...figures.rows, ...pending.rows]);
  if (adjust) await adjust(campaigns);
  await addNames(db, campaigns);
  await addLiabilities(db, campaigns, report);
  const revenue = await deferredRevenue(db, campaigns.flatMap((c) => (c.campaign_id === null ? [] : [c.campaign_id])), report.from, report.to);
  for (const c of campaigns) c.deferred_revenue = (c.campaign_id !== null && revenue.get(c.campaign_id)) || null;
  return { from: report.from, to: report.to, expiry_basis: report.expiryBasis, campaigns, period: null };
}

async function addNames(db: ReportSource, campaigns: CampaignReportDto[]): Promise<void> {
  const ids = campaigns.map((c) => c.campaign_id).filter((id): id is string => id !== null);
  if (ids.length === 0) return;
  const names = await db.query<{ campaign_id: string; campaign_name: string }>({ name: 'ledger-report-campaign-names', text: NAMES_SQL, values: [ids] });
  const byId = new Map(names.rows.map((r) => [r.campaign_id, r.campaign_name]));
  for (const c of campaigns) c.campaign_name = c.campaign_id === null ? null : byId.get(c.campaign_id) ?? null;
}

async function addLiabilities(db: ReportSource, campaigns: CampaignReportDto[], report: PointsReportQuery): Promise<void> {
  const ends = campaigns
    .filter((c) => c.campaign_id !== null)
    .flatMap((c) => [
      { campaign: c.campaign_id!, end: 'opening', at: report.from, balance: c.opening_balance },
      { campaign: c.campaign_id!, end: 'closing', at: report.to, balance: c.closing_balance },
    ]);
  if (ends.length === 0) return;
  const result = await db.query<{ campaign_id: string; at_end: string; currency: string; liability: string }>({
    name: 'ledger-report-liabilities',
    text: LIABILITY_SQL,
    values: [ends.map((e) => e.campaign), ends.map((e) => e.end), ends.map((e) => e.at), ends.map((e) => String(e.balance))],
  });
  const byCampaign = new Map(campaigns.map((c) => [c.campaign_id, c]));
  for (const row of result.rows) {
    const c = byCampaign.get(row.campaign_id)!;
    c.currency = row.currency;
    if (row.at_end === 'opening') c.opening_liability = row.liability;
    else c.closing_liability = row.liability;
  }
}

@QueryHandler(GetPointsReportQuery)
export class GetPointsReportHandler implements IQueryHandler<GetPointsReportQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ report }: GetPointsReportQuery): Promise<PointsReportDto> {
    return pointsReport(this.pool, report);
  }
}
