import type { Pool } from 'pg';
import { CLOSED_PERIODS_TABLE, ClosedPeriod } from '@ledger/projections';
import type { PointsReportQuery } from './get-points-report.query';
import type { CampaignReportDto, PeriodClosingDto, PointsReportDto } from './ledger.dto';
import { centsDifference } from './deferred-revenue';
import { monthIndex, monthOf, monthStart } from './months';
import { emptyReport } from './points-report';

/*
 * Closed months in the period report (docs/api.md, "Closing a month"). A closed month answers the
 * report kept at its closing, byte for byte. What changed in it since (a late webhook, a backfill
 * dated inside it) is booked in the first open month after it as a prior-period adjustment naming
 * it: per campaign, the month's own movement now (closing − opening, as the ledger says today)
 * less the one its kept report showed, less what an earlier open month already booked for it.
 * The first open month's opening is the last closed month's kept closing, so
 * opening + adjustments + movements = closing still holds, and the closed report never changes.
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
  /** The range starts on the first day of an open month right after closed ones (the run, oldest first). */
  | { kind: 'after-closed'; run: ClosedPeriod[] }
  /** Nothing closed in the way; `period` is the month's closing history when it was reopened. */
  | { kind: 'open'; period: ClosedPeriod | null };

/** The month a range is, when it is exactly one calendar month. */
function exactMonth(from: string, to: string): number | null {
  const month = monthOf(from);
  return Date.parse(from) === Date.parse(monthStart(month)) && Date.parse(to) === Date.parse(monthStart(month + 1)) ? month : null;
}

export async function loadPeriodContext(db: Db, from: string, to: string): Promise<PeriodContext> {
  const { rows } = await db.query({ name: 'closed-periods-all', text: `SELECT * FROM closed_periods ORDER BY month` });
  const periods = rows.map((row) => CLOSED_PERIODS_TABLE.fromRow(row));
  const exact = exactMonth(from, to);
  const asked = exact === null ? undefined : periods.find((p) => monthIndex(p.month) === exact);
  if (asked?.status === 'closed') return { kind: 'closed', period: asked };
  const closed = new Map(periods.filter((p) => p.status === 'closed').map((p) => [monthIndex(p.month), p]));
  const overlapping = [...closed.values()].filter((p) => Date.parse(monthStart(monthIndex(p.month))) < Date.parse(to) && Date.parse(monthStart(monthIndex(p.month) + 1)) > Date.parse(from));
  if (overlapping.length > 0) return { kind: 'spans-closed', months: overlapping.map((p) => p.month) };
  const first = monthOf(from);
  if (Date.parse(from) === Date.parse(monthStart(first)) && closed.has(first - 1)) {
    const run: ClosedPeriod[] = [];
    for (let m = first - 1; closed.has(m); m--) run.unshift(closed.get(m)!);
    return { kind: 'after-closed', run };
  }
  return { kind: 'open', period: asked ?? null };
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
 * The report of the first open month after the closed `run`: each campaign's opening moves back to
 * what the closed months showed, and the difference is booked as prior-period adjustments naming
 * them; the deferred revenue opens at the last closed month's kept figures.
 */
export async function bookPriorPeriods(db: Db, run: ClosedPeriod[], report: PointsReportQuery, live: LiveReport): Promise<PointsReportDto> {
  // Per closed month and campaign: its own movement as the ledger says it now.
  const now = await Promise.all(
    run.map((p) =>
      live(db, { from: monthStart(monthIndex(p.month)), to: monthStart(monthIndex(p.month) + 1), campaignId: report.campaignId, expiryBasis: report.expiryBasis }),
    ),
  );
  const adjustments = new Map<string | null, { month: string; points: number }[]>();
  run.forEach((period, i) => {
    const kept = byCampaign(keptReport(period, report.expiryBasis).campaigns);
    const current = byCampaign(now[i].campaigns);
    for (const campaignId of new Set([...kept.keys(), ...current.keys()])) {
      if (report.campaignId !== undefined && campaignId !== report.campaignId) continue;
      // What later closed months of the run already booked for this one.
      const booked = run
        .slice(i + 1)
        .flatMap((later) => byCampaign(keptReport(later, report.expiryBasis).campaigns).get(campaignId)?.prior_period_adjustments ?? [])
        .filter((a) => a.month === period.month)
        .reduce((sum, a) => sum + a.points, 0);
      const points = ownMovement(current.get(campaignId)) - ownMovement(kept.get(campaignId)) - booked;
      if (points !== 0) adjustments.set(campaignId, [...(adjustments.get(campaignId) ?? []), { month: period.month, points }]);
    }
  });
  const result = await live(db, report, async (campaigns) => {
    for (const [campaignId, list] of adjustments) {
      let c = campaigns.find((x) => x.campaign_id === campaignId);
      if (!c) campaigns.push((c = emptyReport(campaignId)));
      const total = list.reduce((sum, a) => sum + a.points, 0);
      c.prior_period_adjustments = list;
      c.movements.prior_period_adjustment = total;
      c.opening_balance -= total;
    }
    campaigns.sort((a, b) => String(a.campaign_id).localeCompare(String(b.campaign_id)));
  });
  const last = byCampaign(keptReport(run[run.length - 1], report.expiryBasis).campaigns);
  for (const c of result.campaigns) {
    const kept = last.get(c.campaign_id)?.deferred_revenue;
    const revenue = c.deferred_revenue;
    if (!revenue || !kept?.closing || kept.currency !== revenue.currency) continue;
    revenue.opening = kept.closing;
    revenue.recognised_in_period = centsDifference(revenue.closing!.recognised_to_date, kept.closing.recognised_to_date);
  }
  return result;
}

const byCampaign = (campaigns: CampaignReportDto[]) => new Map(campaigns.map((c) => [c.campaign_id, c]));
