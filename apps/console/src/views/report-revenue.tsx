import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { DeferredRevenue, RedemptionTriangle, RevenuePosition } from '../api/models';
import { Empty, Panel, QueryState } from '../components/ui';

/* The report page's deferred revenue (IFRS 15) and the measured behaviour of past points beside it (docs/deferred-revenue.md). */

const money = (amount: string | undefined, currency: string) => (amount === undefined ? '—' : `${amount} ${currency}`);
const percent = (share: string | number) => `${(Number(share) * 100).toFixed(1)} %`;

/** A campaign's deferred revenue over the period, or how to get one. */
export function DeferredRevenueTable({ revenue }: { revenue: DeferredRevenue | null }) {
  if (!revenue) return <p className="muted">Deferred revenue: no revenue estimate set for this programme (PUT /admin/campaigns/&#123;id&#125;/revenue-estimate).</p>;
  const { opening, closing, currency } = revenue;
  const rows: [string, (p: RevenuePosition) => string][] = [
    ['Estimate: value allocated to one point', (p) => `${p.value_per_point} ${currency}`],
    ['Estimate: share of points expected to be redeemed', (p) => percent(p.expected_redemption_share)],
    ['Points issued to date', (p) => p.points_issued.toLocaleString('en')],
    ['Points redeemed to date', (p) => p.points_redeemed.toLocaleString('en')],
    ['Allocated value (issued × value)', (p) => money(p.allocated_value, currency)],
    ['Revenue recognised to date', (p) => money(p.recognised_to_date, currency)],
    ['Deferred revenue', (p) => money(p.deferred, currency)],
  ];
  return (
    <table className="report" data-testid="report-deferred-revenue">
      <thead>
        <tr>
          <th>Deferred revenue (IFRS 15, cumulative)</th>
          <th className="num">At the start</th>
          <th className="num">At the end</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, figure]) => (
          <tr key={label}>
            <td>{label}</td>
            <td className="num">{opening ? figure(opening) : '—'}</td>
            <td className="num">{closing ? figure(closing) : '—'}</td>
          </tr>
        ))}
        <tr className="total">
          <th>Revenue recognised in the period</th>
          <td />
          <td className="num" data-testid="recognised-in-period">
            {revenue.recognised_in_period === null ? 'estimates in two currencies' : money(revenue.recognised_in_period, currency)}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** Shade of a cell: darker as more of the month's points went. Text stays dark on it (contrast). */
const shade = (share: number) => `rgba(47, 111, 176, ${Math.min(0.45, share * 0.45).toFixed(3)})`;

/** For the points issued in each month, the shares redeemed (and expired) by each later month. */
export function RedemptionTrianglePanel({ campaignId, to }: { campaignId: string; to: string }) {
  const toMonth = to.slice(0, 7);
  const triangle = useQuery({
    queryKey: ['redemption-triangle', campaignId, toMonth],
    queryFn: () => unwrap(api.GET('/reports/redemption-triangle', { params: { query: { campaign_id: campaignId, to: toMonth } } })),
  });
  return (
    <Panel title="How past points behaved: share redeemed (expired) since their month">
      <QueryState query={triangle} what="the redemption triangle">
        {(t) => <Triangle triangle={t} />}
      </QueryState>
    </Panel>
  );
}

function Triangle({ triangle }: { triangle: RedemptionTriangle }) {
  const issued = triangle.rows.filter((r) => r.points_issued > 0);
  if (issued.length === 0) return <Empty>No points were issued from {triangle.from} to {triangle.to}.</Empty>;
  // Columns from the first month that issued points: the months before it have nothing to show.
  const months = triangle.rows.map((r) => r.issue_month).filter((m) => m >= issued[0].issue_month);
  return (
    <>
      <p className="muted">
        Spending and expiries take each card&apos;s oldest points first; expiries count in the month they were due.{' '}
        {triangle.estimate ? `The estimate expects ${percent(triangle.estimate.expected_redemption_share)} to be redeemed.` : 'No revenue estimate is set.'}
      </p>
      <div className="scroll" tabIndex={0} role="region" aria-label="Redemption triangle">
        <table className="report triangle" data-testid="redemption-triangle">
          <thead>
            <tr>
              <th>Issued in</th>
              <th className="num">Points</th>
              {months.map((m) => (
                <th key={m} className="num">
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {issued.map((row) => (
              <tr key={row.issue_month}>
                <th>{row.issue_month}</th>
                <td className="num">{row.points_issued.toLocaleString('en')}</td>
                {months.map((m) => {
                  const cell = row.cells.find((c) => c.month === m);
                  return cell ? (
                    <td key={m} className="num" style={{ background: shade(cell.redeemed_share) }} title={`redeemed ${percent(cell.redeemed_share)}, expired ${percent(cell.expired_share)}`}>
                      {percent(cell.redeemed_share)}
                      {cell.expired_share > 0 ? <span className="sub"> ({percent(cell.expired_share)})</span> : null}
                    </td>
                  ) : (
                    <td key={m} />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
