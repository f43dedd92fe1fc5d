import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, jsonOnly, unwrap } from '../api/client';
import type { CampaignReport } from '../api/models';
import { BarChart } from '../components/chart';
import { download } from '../components/download';
import { thisMonth } from '../components/period';
import { Field, FilterForm, useUrlFilters } from '../components/filters';
import { Empty, ErrorBox, Panel, QueryState, Signed } from '../components/ui';
import { DeferredRevenueTable, RedemptionTrianglePanel } from './report-revenue';
import { PeriodClosing } from './report-period';
import { ExpiringPointsPanel } from './report-expiring';

type Movement = keyof CampaignReport['movements'];

/** Every movement the report answers, named for a shop (a kind the API adds fails the type check here). */
const MOVEMENT_LABELS: Record<Movement, string> = {
  accrued: 'earned (purchases)',
  added: 'added by hand',
  removed: 'removed by hand',
  redeemed: 'spent on rewards',
  refunded: 'refunded',
  expired: 'expired',
  transferred_in: 'transferred in',
  transferred_out: 'transferred out',
  pending_activated: 'pending activated',
  written_off: 'written off (card or campaign deleted)',
  other: 'other',
  unexplained: 'unexplained (gaps)',
  prior_period_adjustment: 'prior-period adjustments (closed months)',
};
const MOVEMENTS = Object.keys(MOVEMENT_LABELS) as Movement[];

type PendingFigure = Exclude<keyof CampaignReport['pending'], 'opening' | 'closing'>;
/** The pending ledger's movements: points promised (an order not yet confirmed), not on the cards yet. */
const PENDING_LABELS: Record<PendingFigure, string> = {
  added: 'put pending',
  updated: 'pending entries changed',
  cancelled: 'cancelled before activation',
  activated: 'activated (moved to the cards)',
  unexplained: 'unexplained (gaps)',
  written_off: 'written off (card or campaign deleted)',
};
const PENDING_FIGURES = Object.keys(PENDING_LABELS) as PendingFigure[];
const COLORS = ['#2f6fb0', '#e07b39', '#3a9a5b', '#b03a48', '#7c5cb0', '#8a8a2f', '#2fa3a3', '#b0862f', '#555', '#6b4f2f', '#c15fa0', '#999'];


export function ReportsView() {
  const { values, apply, clear } = useUrlFilters(['from', 'to', 'campaign', 'expiry_basis']);
  const period = { ...thisMonth(), ...Object.fromEntries(Object.entries(values).filter(([, v]) => v)) };
  const query = {
    from: `${period.from}T00:00:00Z`,
    to: `${period.to}T00:00:00Z`,
    campaign_id: values.campaign || undefined,
    expiry_basis: values.expiry_basis === 'due' ? ('due' as const) : undefined,
  };
  const report = useQuery({
    queryKey: ['report', query],
    queryFn: () => unwrap(api.GET('/reports/points', { params: { query } })).then(jsonOnly('the report')),
  });
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const csv = () => {
    const search = new URLSearchParams({
      from: query.from,
      to: query.to,
      format: 'csv',
      ...(query.campaign_id ? { campaign_id: query.campaign_id } : {}),
      ...(query.expiry_basis ? { expiry_basis: query.expiry_basis } : {}),
    });
    setDownloadError(null);
    download(`/reports/points?${search}`, `points-${period.from}-${period.to}.csv`, 'text/csv').catch(setDownloadError);
  };
  return (
    <>
      <h1>Points report</h1>
      <p className="lead">
        Per loyalty programme: the points customers held at the start of the period, what happened to them, and what they held at the end. Opening + movements =
        closing, always. The liability is the points held times the point value you set; the deferred revenue follows the revenue estimate you set. Give a
        campaign id to see how its past points were redeemed.
      </p>
      <FilterForm label="Period" onApply={apply} onClear={clear} key={JSON.stringify(values)}>
        <Field label="From (first day, UTC)">
          <input type="date" name="from" defaultValue={period.from} required />
        </Field>
        <Field label="To (day after the last, UTC)">
          <input type="date" name="to" defaultValue={period.to} required />
        </Field>
        <Field label="Campaign id (optional)">
          <input name="campaign" defaultValue={values.campaign} placeholder="camp_…" />
        </Field>
        <Field label="Expiries count when">
          <select name="expiry_basis" defaultValue={values.expiry_basis || 'booked'}>
            <option value="booked">booked by Voucherify (its balances)</option>
            <option value="due">due (breakage by period)</option>
          </select>
        </Field>
      </FilterForm>
      <p>
        <button onClick={csv}>Download CSV</button>
      </p>
      {downloadError ? <ErrorBox error={downloadError} what="the CSV" /> : null}
      <QueryState query={report} what="the report">
        {(r) => (
          <>
            <PeriodClosing report={r} />
            {r.campaigns.length === 0 ? <Empty>No loyalty card had points in or before this period.</Empty> : <Report campaigns={r.campaigns} />}
          </>
        )}
      </QueryState>
      <ExpiringPointsPanel campaignId={query.campaign_id} />
      {query.campaign_id ? <RedemptionTrianglePanel campaignId={query.campaign_id} to={new Date(Date.parse(query.to) - 1).toISOString()} /> : null}
    </>
  );
}

/** The campaign's pending points: not in the balances or the liability above until they activate. */
function PendingPoints({ pending }: { pending: CampaignReport['pending'] }) {
  const moved = PENDING_FIGURES.filter((k) => pending[k] !== 0);
  if (pending.opening === 0 && pending.closing === 0 && moved.length === 0) return null;
  return (
    <table className="report" data-testid="report-pending">
      <thead>
        <tr>
          <th>Pending points (not on the cards yet)</th>
          <th className="num">Points</th>
          <th />
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>Pending at the start</td>
          <td className="num" data-testid="pending-opening">
            {pending.opening.toLocaleString('en')}
          </td>
          <td />
        </tr>
        {moved.map((k) => (
          <tr key={k}>
            <td>{PENDING_LABELS[k]}</td>
            <td className="num">
              <Signed value={pending[k]} />
            </td>
            <td />
          </tr>
        ))}
        <tr className="total">
          <th>Pending at the end</th>
          <td className="num" data-testid="pending-closing">
            {pending.closing.toLocaleString('en')}
          </td>
          <td />
        </tr>
      </tbody>
    </table>
  );
}

/** What a balance is worth in money, or why that is unknown. */
function Liability({ amount, currency }: { amount: string | null; currency: string | null }) {
  return amount !== null ? <>{`${amount} ${currency}`}</> : <span className="muted">no point value set</span>;
}

function Report({ campaigns }: { campaigns: CampaignReport[] }) {
  const kinds = MOVEMENTS.filter((k) => campaigns.some((c) => c.movements[k] !== 0));
  const labels = useMemo(() => campaigns.map((c) => c.campaign_name ?? c.campaign_id ?? 'no campaign'), [campaigns]);
  const series = useMemo(
    () => kinds.map((k, i) => ({ label: MOVEMENT_LABELS[k], values: campaigns.map((c) => c.movements[k]), color: COLORS[i % COLORS.length] })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [campaigns, kinds.join()],
  );
  return (
    <>
      <Panel title="Movements of the period by programme">
        {kinds.length === 0 ? <Empty>No points moved in this period.</Empty> : <BarChart labels={labels} series={series} stacked label="Point movements by kind" />}
      </Panel>
      {campaigns.map((c) => (
        <Panel key={c.campaign_id ?? 'none'} title={c.campaign_name ?? c.campaign_id ?? 'Cards without a campaign'}>
          <table className="report" data-testid="report-campaign">
            <thead>
              <tr>
                <th />
                <th className="num">Points</th>
                <th>Liability (points × point value)</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>Opening balance (held at the start)</td>
                <td className="num" data-testid="opening">
                  {c.opening_balance.toLocaleString('en')}
                </td>
                <td>
                  <Liability amount={c.opening_liability} currency={c.currency} />
                </td>
              </tr>
              {MOVEMENTS.filter((k) => c.movements[k] !== 0).map((k) => (
                  <tr key={k}>
                    <td>
                      {MOVEMENT_LABELS[k]}
                      {k === 'prior_period_adjustment' ? ` from ${c.prior_period_adjustments.map((a) => `${a.month} (${a.points > 0 ? '+' : ''}${a.points})`).join(', ')}` : ''}
                    </td>
                    <td className="num">
                      <Signed value={c.movements[k]} />
                    </td>
                    <td />
                  </tr>
                ))}
              <tr className="total">
                <th>Closing balance (held at the end)</th>
                <td className="num" data-testid="closing">
                  {c.closing_balance.toLocaleString('en')}
                </td>
                <td>
                  <Liability amount={c.closing_liability} currency={c.currency} />
                </td>
              </tr>
              <tr>
                <td>Cards</td>
                <td className="num">{c.cards}</td>
                <td />
              </tr>
              <tr>
                <td>Breakage (expired ÷ (spent + expired))</td>
                <td className="num">{c.breakage_rate === null ? '—' : `${(c.breakage_rate * 100).toFixed(1)} %`}</td>
                <td />
              </tr>
            </tbody>
          </table>
          <PendingPoints pending={c.pending} />
          {c.campaign_id !== null ? <DeferredRevenueTable revenue={c.deferred_revenue} /> : null}
        </Panel>
      ))}
    </>
  );
}
