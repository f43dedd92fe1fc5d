import type { Pool } from 'pg';
import { CLOSED_PERIODS_TABLE, ClosedPeriod } from '@ledger/projections';
import type { PointsReportQuery } from './get-points-report.query';
import type { CampaignReportDto, PeriodClosingDto, PointsReportDto } from './ledger.dto';
import { centsDifference } from './deferred-revenue';
import { monthIndex, monthName, monthOf, monthStart } from './months';
import { emptyReport } from './points-report';

/*
 * Closed months in the period report (docs/api.md, "Closing a month"). A closed month answers the
 * report kept at its closing, byte for byte. The first open month after closed ones opens at the
 * last closed month's kept closing; what the ledger says now differs from it by what arrived later
 * dated inside the closed months (a late webhook, a backfill) or before them, booked there as
 * prior-period adjustments naming the months (bookPriorPeriods). So
 * opening + adjustments + movements = closing holds, and a closed report never changes.
 */

type Db = Pick<Pool, 'query'>;
type LiveReport = (db: Db, report: PointsReportQuery, adjust?: (campaigns: CampaignReportDto[]) => Promise<void>) => Promise<PointsReportDto>;

export class PeriodClosedError extends Error {
  constructor(readonly months: string[]) {
    super(
      `${months.join(', ')} ${months.length === 1 ? 'is' : 'are'} closed: a closed month is reported alone (from its first day to the next month's first day), ` +
        'and a range may start right after one',
    );
    this.name = 'PeriodClosedError';
  }
}

export type PeriodContext =
  /** The range is exactly a closed month. */
  | { kind: 'closed'; period: ClosedPeriod }
  /** The range overlaps closed months without being one. */
  | { kind: 'spans-closed'; months: string[] }
  /** The range starts on the first day of an open month right after closed ones (the run, oldest first); `period`: that month's own history (reopened). */
  | { kind: 'after-closed'; run: ClosedPeriod[]; period: ClosedPeriod | null }
  /** Nothing closed in the way; `period` is the month's closing history when it was reopened. */
  | { kind: 'open'; period: ClosedPeriod | null };

/** The month a range is, when it is exactly one calendar month. */
function exactMonth(from: string, to: string): number | null {
  const month = monthOf(from);
  return Date.parse(from) === Date.parse(monthStart(month)) && Date.parse(to) === Date.parse(monthStart(month + 1)) ? month : null;
}

export async function loadPeriodContext(db: Db, from: string, to: string): Promise<PeriodContext> {
  // The closings' states first; the kept reports (large) only of the months this report needs.
  const { rows } = await db.query({ name: 'closed-periods-states', text: `SELECT *, NULL::jsonb AS reports FROM closed_periods ORDER BY month` });
  const periods = rows.map((row) => CLOSED_PERIODS_TABLE.fromRow(row));
  const exact = exactMonth(from, to);
  const asked = exact === null ? undefined : periods.find((p) => monthIndex(p.month) === exact);
  if (asked?.status === 'closed') return { kind: 'closed', period: await withReports(db, [asked]).then(([p]) => p) };
  const closed = new Map(periods.filter((p) => p.status === 'closed').map((p) => [monthIndex(p.month), p]));
  const overlapping = [...closed.values()].filter((p) => Date.parse(monthStart(monthIndex(p.month))) < Date.parse(to) && Date.parse(monthStart(monthIndex(p.month) + 1)) > Date.parse(from));
  if (overlapping.length > 0) return { kind: 'spans-closed', months: overlapping.map((p) => p.month) };
  const first = monthOf(from);
  if (Date.parse(from) === Date.parse(monthStart(first)) && closed.has(first - 1)) {
    const run: ClosedPeriod[] = [];
    for (let m = first - 1; closed.has(m); m--) run.unshift(closed.get(m)!);
    return { kind: 'after-closed', run: await withReports(db, run), period: periods.find((p) => monthIndex(p.month) === first) ?? null };
  }
  return { kind: 'open', period: asked ?? null };
}

/** The closings with their kept reports read. */
async function withReports(db: Db, periods: ClosedPeriod[]): Promise<ClosedPeriod[]> {
  const { rows } = await db.query<{ month: string; reports: unknown }>({
    name: 'closed-periods-reports',
    text: `SELECT month, reports FROM closed_periods WHERE month = ANY($1::text[])`,
    values: [periods.map((p) => p.month)],
  });
  const reports = new Map(rows.map((r) => [r.month, r.reports]));
  return periods.map((p) => ({ ...p, reports: reports.get(p.month) }));
}

export function closingOf(period: ClosedPeriod): PeriodClosingDto {
  return {
    month: period.month,
    status: period.status,
    closed_at: period.closedAt,
    closed_event_id: period.closedEventId,
    log_position: period.logPosition,
    chain_head: (period.chainHead as PeriodClosingDto['chain_head']) ?? null,
    reopened_at: period.reopenedAt,
    reopen_reason: period.reopenReason,
  };
}

const keptReport = (period: ClosedPeriod, basis: string) => (period.reports as Record<string, PointsReportDto>)[basis];

/** The report kept at the month's closing (one campaign's, when asked), with the closing. */
export function storedReport(period: ClosedPeriod, report: PointsReportQuery): PointsReportDto {
  const kept = keptReport(period, report.expiryBasis);
  const campaigns = report.campaignId === undefined ? kept.campaigns : kept.campaigns.filter((c) => c.campaign_id === report.campaignId);
  return { ...kept, campaigns, period: closingOf(period) };
}

/** A campaign's own movement in a report: closing − opening, less what it booked for earlier months. */
const ownMovement = (c: CampaignReportDto | undefined) => (c ? c.closing_balance - c.opening_balance - (c.movements.prior_period_adjustment ?? 0) : 0);

/**
 * The report of the first open month after the closed `run`: each campaign opens at the last
 * closed month's kept closing, and the difference with the ledger's balance now is booked as
 * prior-period adjustments, named by the closed month whose own movement changed (its closing −
 * opening now, less its kept report's, less what later months of the run booked for it). What is
 * left is a change dated before the run, in an open month: it is named by that month. The deferred
 * revenue opens at the last closed month's kept figures too. When nothing changed (the usual
 * case), no closed month is computed again.
 */
export async function bookPriorPeriods(db: Db, run: ClosedPeriod[], report: PointsReportQuery, live: LiveReport): Promise<PointsReportDto> {
  const last = byCampaign(keptReport(run[run.length - 1], report.expiryBasis).campaigns);
  const totals = new Map<string | null, number>();
  const result = await live(db, report, async (campaigns) => {
    for (const c of campaigns) {
      const keptClosing = last.get(c.campaign_id)?.closing_balance ?? 0;
      if (c.opening_balance !== keptClosing) totals.set(c.campaign_id, c.opening_balance - keptClosing);
    }
    // A campaign the kept month had and the ledger no longer shows before this month.
    for (const [campaignId, kept] of last) {
      if (kept.closing_balance === 0 || campaigns.some((c) => c.campaign_id === campaignId)) continue;
      if (report.campaignId !== undefined && campaignId !== report.campaignId) continue;
      campaigns.push(emptyReport(campaignId));
      totals.set(campaignId, -kept.closing_balance);
    }
    if (totals.size === 0) return;
    const named = await nameAdjustments(db, run, report, live, totals);
    for (const c of campaigns) {
      const total = totals.get(c.campaign_id);
      if (total === undefined) continue;
      c.prior_period_adjustments = named.get(c.campaign_id) ?? [];
      c.movements.prior_period_adjustment = total;
      c.opening_balance -= total;
    }
    campaigns.sort((a, b) => String(a.campaign_id).localeCompare(String(b.campaign_id)));
  });
  for (const c of result.campaigns) {
    const kept = last.get(c.campaign_id)?.deferred_revenue;
    const revenue = c.deferred_revenue;
    if (!revenue || !kept?.closing || kept.currency !== revenue.currency) continue;
    revenue.opening = kept.closing;
    revenue.recognised_in_period = centsDifference(revenue.closing!.recognised_to_date, kept.closing.recognised_to_date);
  }
  return result;
}

/** Which months each campaign's adjustment comes from: the closed months computed again, one at a time, the rest before the run. */
async function nameAdjustments(
  db: Db,
  run: ClosedPeriod[],
  report: PointsReportQuery,
  live: LiveReport,
  totals: Map<string | null, number>,
): Promise<Map<string | null, { month: string; points: number }[]>> {
  const named = new Map<string | null, { month: string; points: number }[]>([...totals.keys()].map((id) => [id, []]));
  for (let i = 0; i < run.length; i++) {
    const period = run[i];
    const month = monthIndex(period.month);
    const now = byCampaign((await live(db, { from: monthStart(month), to: monthStart(month + 1), campaignId: report.campaignId, expiryBasis: report.expiryBasis })).campaigns);
    const kept = byCampaign(keptReport(period, report.expiryBasis).campaigns);
    for (const campaignId of totals.keys()) {
      const booked = run
        .slice(i + 1)
        .flatMap((later) => byCampaign(keptReport(later, report.expiryBasis).campaigns).get(campaignId)?.prior_period_adjustments ?? [])
        .filter((a) => a.month === period.month)
        .reduce((sum, a) => sum + a.points, 0);
      const points = ownMovement(now.get(campaignId)) - ownMovement(kept.get(campaignId)) - booked;
      if (points !== 0) named.get(campaignId)!.push({ month: period.month, points });
    }
  }
  const before = monthName(monthIndex(run[0].month) - 1);
  for (const [campaignId, total] of totals) {
    const list = named.get(campaignId)!;
    const rest = total - list.reduce((sum, a) => sum + a.points, 0);
    if (rest !== 0) list.unshift({ month: before, points: rest });
  }
  return named;
}

const byCampaign = (campaigns: CampaignReportDto[]) => new Map(campaigns.map((c) => [c.campaign_id, c]));
