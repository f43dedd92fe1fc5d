import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, jsonOnly, unwrap } from '../api/client';
import type { ExpiringPoints } from '../api/models';
import { useAccess } from '../auth/auth';
import { BarChart } from '../components/chart';
import { Badge, Empty, ErrorBox, Panel, QueryState, Time } from '../components/ui';

/* The report page's "what will expire": points due by month per programme, and where and when the figures were read. */

const COLORS = ['#2f6fb0', '#e07b39', '#3a9a5b', '#b03a48', '#7c5cb0', '#8a8a2f'];


export function ExpiringPointsPanel({ campaignId }: { campaignId?: string }) {
  const query = { months: 12, ...(campaignId ? { campaign_id: campaignId } : {}) };
  const expiring = useQuery({
    queryKey: ['expiring-points', query],
    queryFn: () => unwrap(api.GET('/reports/expiring-points', { params: { query } })).then(jsonOnly('the expiring points')),
  });
  return (
    <Panel title="What will expire: points due by month, from today" help="From Voucherify's point buckets where they were read, else each card's next expiry as the webhooks told it.">
      <QueryState query={expiring} what="the expiring points">
        {(e) => <Expiring report={e} />}
      </QueryState>
      {useAccess() === 'admin' ? <ReadAgain /> : null}
    </Panel>
  );
}

function Expiring({ report }: { report: ExpiringPoints }) {
  const labels = useMemo(() => report.campaigns[0]?.months.map((m) => m.month) ?? [], [report]);
  const series = useMemo(
    () => report.campaigns.map((c, i) => ({ label: c.campaign_name ?? c.campaign_id, values: c.months.map((m) => m.points), color: COLORS[i % COLORS.length] })),
    [report],
  );
  if (report.campaigns.length === 0) return <Empty>No loyalty programme yet.</Empty>;
  return (
    <>
      {report.campaigns.some((c) => c.total_points > 0) ? <BarChart labels={labels} series={series} stacked label="Points due to expire by month" /> : <Empty>No points are due to expire in the next 12 months.</Empty>}
      <table className="report" data-testid="expiring-campaigns">
        <thead>
          <tr>
            <th>Programme</th>
            <th className="num">Points due (12 months)</th>
            <th>Figures from</th>
            <th>Read</th>
          </tr>
        </thead>
        <tbody>
          {report.campaigns.map((c) => (
            <tr key={c.campaign_id}>
              <td>{c.campaign_name ?? c.campaign_id}</td>
              <td className="num">{c.total_points.toLocaleString('en')}</td>
              <td>{c.source === 'voucherify_export' ? "Voucherify's point buckets" : "webhooks (each card's next expiry only)"}</td>
              <td>
                <Time at={c.read_at} />
                {c.read_error ? (
                  <>
                    {' '}
                    <Badge tone="bad">last read failed</Badge> <span className="muted">{c.read_error}</span>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ReadAgain() {
  const client = useQueryClient();
  const read = useMutation({
    mutationFn: () => unwrap(api.POST('/admin/expiring-points/refresh', { body: {} })),
    onSuccess: () => setTimeout(() => void client.invalidateQueries({ queryKey: ['expiring-points'] }), 2000),
  });
  return (
    <p>
      <button onClick={() => read.mutate()} disabled={read.isPending}>
        Read the point buckets from Voucherify again
      </button>
      {read.data ? <span role="status"> Reading {read.data.campaign_ids.length} programme(s): the figures update when done.</span> : null}
      {read.isError && <ErrorBox error={read.error} what="the read" />}
    </p>
  );
}
