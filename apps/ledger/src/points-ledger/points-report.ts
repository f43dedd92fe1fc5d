import { MOVEMENT_KINDS, MovementKind } from '@ledger/projections';
import type { CampaignReportDto, PendingReportDto, PointsReportDto } from './ledger.dto';
import { csvTable } from '../http/csv';

/* The period report's arithmetic and its CSV, apart from the SQL that feeds them (get-points-report.query.ts). */

/** One figure of one campaign, as the report's SQL gives it (numeric text). */
export interface ReportFigure {
  campaign_id: string | null;
  figure: string;
  value: string | null;
}

/** The report's movements: the ledger's kinds, the gaps, and what closed months changed since their closing. */
export const REPORT_MOVEMENTS = [...MOVEMENT_KINDS, 'unexplained', 'prior_period_adjustment'] as const;
export type ReportMovement = (typeof REPORT_MOVEMENTS)[number];

export function emptyReport(campaignId: string | null): CampaignReportDto {
  return {
    campaign_id: campaignId,
    campaign_name: null,
    opening_balance: 0,
    movements: Object.fromEntries(REPORT_MOVEMENTS.map((k) => [k, 0])) as Record<ReportMovement, number>,
    closing_balance: 0,
    cards: 0,
    breakage_rate: null,
    currency: null,
    opening_liability: null,
    closing_liability: null,
    pending: { opening: 0, added: 0, updated: 0, cancelled: 0, activated: 0, unexplained: 0, written_off: 0, closing: 0 },
    prior_period_adjustments: [],
    deferred_revenue: null,
  };
}

/** The pending ledger's figures (get-points-report.query.ts names them apart from the movement kinds). */
const PENDING_FIGURE = /^pending:(opening|added|updated|cancelled|activated|unexplained|written_off|closing)$/;

/** The figures folded into one report per campaign, in campaign id order, with the breakage rate; names and liabilities still empty. */
export function campaignReports(figures: ReportFigure[]): CampaignReportDto[] {
  const byCampaign = new Map<string | null, CampaignReportDto>();
  for (const row of figures) {
    let r = byCampaign.get(row.campaign_id);
    if (!r) byCampaign.set(row.campaign_id, (r = emptyReport(row.campaign_id)));
    const value = Number(row.value ?? 0);
    const pending = PENDING_FIGURE.exec(row.figure);
    if (pending) r.pending[pending[1] as keyof PendingReportDto] += value;
    else if (row.figure === 'opening_balance') r.opening_balance = value;
    else if (row.figure === 'closing_balance') r.closing_balance = value;
    else if (row.figure === 'cards') r.cards = value;
    else r.movements[row.figure as MovementKind] = (r.movements[row.figure as MovementKind] ?? 0) + value;
  }
  const campaigns = [...byCampaign.values()].sort((a, b) => String(a.campaign_id).localeCompare(String(b.campaign_id)));
  for (const c of campaigns) {
    const expired = -c.movements.expired;
    const redeemed = -c.movements.redeemed;
    c.breakage_rate = expired + redeemed === 0 ? null : Math.round((expired / (expired + redeemed)) * 1e6) / 1e6;
  }
  return campaigns;
}

const CSV_COLUMNS = [
  'campaign_id',
  'campaign_name',
  'from',
  'to',
  'expiry_basis',
  'opening_balance',
  ...REPORT_MOVEMENTS,
  // The closed months the prior-period adjustment comes from, as `YYYY-MM:points` separated by spaces.
  'adjusted_months',
  'closing_balance',
  'cards',
  'breakage_rate',
  'currency',
  'opening_liability',
  'closing_liability',
  'pending_opening',
  'pending_added',
  'pending_updated',
  'pending_cancelled',
  // The pending ledger's activations (negative): `pending_activated` is already the points' side of them.
  'pending_activated_out',
  'pending_unexplained',
  'pending_written_off',
  'pending_closing',
  'revenue_currency',
  'value_per_point',
  'expected_redemption_share',
  'allocated_value',
  'recognised_to_date_opening',
  'recognised_to_date_closing',
  'recognised_in_period',
  'deferred_revenue_opening',
  'deferred_revenue_closing',
] as const;

const TEXT_COLUMNS = new Set(['campaign_id', 'campaign_name', 'currency', 'revenue_currency']);

/** The deferred revenue's columns: the estimate and allocated value at the period's end, recognised and deferred at both ends. */
function revenueColumns(c: CampaignReportDto) {
  const r = c.deferred_revenue;
  return {
    revenue_currency: r?.currency ?? null,
    value_per_point: r?.closing?.value_per_point ?? null,
    expected_redemption_share: r?.closing?.expected_redemption_share ?? null,
    allocated_value: r?.closing?.allocated_value ?? null,
    recognised_to_date_opening: r ? r.opening?.recognised_to_date ?? '0.00' : null,
    recognised_to_date_closing: r?.closing?.recognised_to_date ?? null,
    recognised_in_period: r?.recognised_in_period ?? null,
    deferred_revenue_opening: r ? r.opening?.deferred ?? '0.00' : null,
    deferred_revenue_closing: r?.closing?.deferred ?? null,
  };
}

export function pointsReportCsv(report: PointsReportDto): string {
  const rows = report.campaigns.map((c) => ({
    ...c,
    ...c.movements,
    ...Object.fromEntries(Object.entries(c.pending).map(([name, value]) => [name === 'activated' ? 'pending_activated_out' : `pending_${name}`, value])),
    ...revenueColumns(c),
    adjusted_months: c.prior_period_adjustments.map((a) => `${a.month}:${a.points}`).join(' '),
    from: report.from,
    to: report.to,
    expiry_basis: report.expiry_basis,
  }));
  return csvTable(CSV_COLUMNS, rows, TEXT_COLUMNS);
}
