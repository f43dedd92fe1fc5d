import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { DeliveriesHealth, ProjectionStatus, ReceivedPerMinute } from '../api/models';
import { useAccess } from '../auth/auth';
import { BarChart } from '../components/chart';
import { READ_MODEL_HELP } from '../components/read-models';
import { Badge, Empty, Panel, QueryState, Time } from '../components/ui';

const REFRESH_MS = 10_000;
const GAPS_COUNTED = 500;

/** One bar per minute of the window, zero where no webhook came (the API leaves those minutes out). */
function perMinute(answer: ReceivedPerMinute): { labels: string[]; values: number[] } {
  const counts = new Map(answer.data.map((m) => [new Date(m.minute).getTime(), m.webhooks]));
  const labels: string[] = [];
  const values: number[] = [];
  const start = Math.floor(new Date(answer.from).getTime() / 60_000) * 60_000;
  for (let t = start; t < new Date(answer.to).getTime(); t += 60_000) {
    labels.push(new Date(t).toISOString().slice(11, 16));
    values.push(counts.get(t) ?? 0);
  }
  return { labels, values };
}

export function OverviewView() {
  return (
    <>
      <h1>Overview</h1>
      <p className="lead">Is Voucherify reaching the ledger, is anything refused, and are the read models up to date? Refreshes every 10 seconds.</p>
      <SilenceWarning />
      <div className="grid">
        <Webhooks />
        <Refusals />
        <Projections />
        <Gaps />
        <Verify />
      </div>
    </>
  );
}

/**
 * Voucherify disables a webhook after 12 failed deliveries and tells no one: /health/deliveries says
 * `silent` (503) when a project that delivered has sent nothing for WEBHOOK_SILENCE_MINUTES.
 */
function SilenceWarning() {
  const query = useQuery({
    queryKey: ['deliveries-health'],
    // 503 is its answer for "silent", with the same body: read it either way.
    queryFn: async () => {
      const { data, error, response } = await api.GET('/health/deliveries', {});
      if (response.status !== 200 && response.status !== 503) throw new Error(`${response.status} ${response.statusText}`);
      return (data ?? error) as DeliveriesHealth;
    },
    refetchInterval: REFRESH_MS,
  });
  const silent = query.data?.projects.filter((p) => p.silent) ?? [];
  if (query.data?.status !== 'silent' || silent.length === 0) return null;
  return (
    <div className="state error" role="alert" data-testid="silence-warning">
      <strong>Voucherify has stopped sending webhooks.</strong>{' '}
      {silent.map((p) => (
        <span key={p.project_id ?? 'none'}>
          Nothing from project {p.project_id ?? '(no project id)'} since <Time at={p.last_delivery_at} />.{' '}
        </span>
      ))}
      Voucherify disables a webhook after 12 failed deliveries: check it in Voucherify (Project settings → Webhooks), then run a backfill from{' '}
      <Link to="/reconciliation">Reconciliation</Link>.
    </div>
  );
}

function Webhooks() {
  const query = useQuery({
    queryKey: ['received-per-minute'],
    queryFn: () => unwrap(api.GET('/events/received-per-minute', {})),
    refetchInterval: REFRESH_MS,
  });
  const series = useMemo(() => (query.data ? perMinute(query.data) : null), [query.data]);
  const total = query.data?.data.reduce((sum, m) => sum + m.webhooks, 0) ?? 0;
  return (
    <Panel title="Webhooks received per minute (last 6 hours, UTC)">
      <QueryState query={query} what="webhook counts">
        {(answer) => (
          <>
            <p>
              Last webhook: <strong data-testid="last-webhook">{answer.last_received_at ? <Time at={answer.last_received_at} /> : 'none yet'}</strong>{' '}
              · <span data-testid="webhooks-total">{total}</span> in the window
            </p>
            {total === 0 ? (
              <Empty>No webhook in the last 6 hours. If Voucherify should have sent some, check its webhook settings and the refusals.</Empty>
            ) : (
              <BarChart labels={series!.labels} series={[{ label: 'webhooks', values: series!.values, color: '#2f6fb0' }]} label="Webhooks per minute" />
            )}
          </>
        )}
      </QueryState>
    </Panel>
  );
}

function Refusals() {
  const access = useAccess();
  const query = useQuery({
    queryKey: ['refusal-counts'],
    queryFn: () => unwrap(api.GET('/admin/rejected-deliveries/counts', {})),
    refetchInterval: REFRESH_MS,
    enabled: access === 'admin',
  });
  const byReason = useMemo(() => {
    const sums = new Map<string, { reason: string; status: number; authenticated: boolean; deliveries: number }>();
    for (const row of query.data?.data ?? []) {
      const key = `${row.reason}/${row.status_code}`;
      const sum = sums.get(key) ?? { reason: row.reason, status: row.status_code, authenticated: row.authenticated, deliveries: 0 };
      sum.deliveries += row.deliveries;
      sums.set(key, sum);
    }
    return [...sums.values()].sort((a, b) => b.deliveries - a.deliveries);
  }, [query.data]);
  return (
    <Panel title="Refused deliveries by reason (last 24 hours)" help="Webhooks the ledger turned away. Signed ones are kept whole in the inbox; unsigned or oversized ones are only counted.">
      {access !== 'admin' ? (
        <Empty>Refused deliveries are shown with the admin token only (they can hold customer data).</Empty>
      ) : (
        <QueryState query={query} what="refusals">
          {() =>
            byReason.length === 0 ? (
              <Empty>
                <span data-testid="refusals-total">0</span> refused: every webhook was accepted.
              </Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>Reason</th>
                    <th>HTTP status</th>
                    <th>Sender</th>
                    <th className="num">Deliveries</th>
                  </tr>
                </thead>
                <tbody>
                  {byReason.map((r) => (
                    <tr key={`${r.reason}/${r.status}`} data-testid="refusal-row">
                      <td>{r.authenticated ? <Link to={`/inbox?tab=refused&reason=${encodeURIComponent(r.reason)}`}>{r.reason}</Link> : r.reason}</td>
                      <td>{r.status}</td>
                      <td>{r.authenticated ? 'signed (kept)' : 'not signed (counted only)'}</td>
                      <td className="num">{r.deliveries}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <td colSpan={3}>Total</td>
                    <td className="num" data-testid="refusals-total">
                      {byReason.reduce((s, r) => s + r.deliveries, 0)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            )
          }
        </QueryState>
      )}
    </Panel>
  );
}

function Projections() {
  const query = useQuery({
    queryKey: ['projections'],
    queryFn: () => unwrap(api.GET('/projections', {})),
    refetchInterval: REFRESH_MS,
  });
  return (
    <Panel title="Read models (projections)" help="Each read model applies the event log in order. Behind = events not applied yet; parked = events it could not apply.">
      <QueryState query={query} what="projections">
        {({ data }) => <ProjectionTable projections={data} />}
      </QueryState>
      <p>
        <Link to="/projections">Rebuild or retry parked events →</Link>
      </p>
    </Panel>
  );
}

export function ProjectionTable({ projections }: { projections: ProjectionStatus[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Read model</th>
          <th className="num">Applied up to event #</th>
          <th className="num">Behind</th>
          <th className="num">Lag</th>
          <th className="num">Parked</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {projections.map((p) => (
          <tr key={p.name} data-testid={`projection-${p.name}`}>
            <td>
              {p.name}
              <div className="muted small">{READ_MODEL_HELP[p.name] ?? ''}</div>
            </td>
            <td className="num">{p.checkpoint?.position ?? '—'}</td>
            <td className="num">{p.events_behind}</td>
            <td className="num">{p.lag_seconds} s</td>
            <td className="num" data-testid="parked">
              {p.parked_events}
            </td>
            <td>
              {p.parked_events > 0 ? <Badge tone="bad">events parked</Badge> : p.events_behind > 0 ? <Badge tone="warn">catching up</Badge> : <Badge tone="ok">up to date</Badge>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Gaps() {
  const query = useQuery({
    queryKey: ['gaps-count'],
    queryFn: () => unwrap(api.GET('/gaps', { params: { query: { limit: GAPS_COUNTED } } })),
    refetchInterval: REFRESH_MS,
  });
  return (
    <Panel title="Open ledger gaps" help="A gap is a card whose balance jumped without the webhook that explains it: a webhook is missing.">
      <QueryState query={query} what="gaps">
        {(page) => {
          const points = page.data.reduce((s, g) => s + (g.points ?? 0), 0);
          const count = page.next_cursor ? `${GAPS_COUNTED}+` : String(page.data.length);
          return page.data.length === 0 ? (
            <Empty>
              <span data-testid="gaps-count">0</span> gaps: every card's balance is explained by its webhooks.
            </Empty>
          ) : (
            <>
              <p>
                <strong data-testid="gaps-count">{count}</strong> open gaps, <strong data-testid="gaps-points">{points}</strong> points unexplained.
              </p>
              <ul className="compact">
                {page.data.slice(0, 5).map((g) => (
                  <li key={`${g.voucher_id}/${g.after_entry}/${g.before_entry}`}>
                    Card {g.voucher_id}: {g.points ?? 'unknown'} points between <Time at={g.from} /> and <Time at={g.to} />
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}

/** The last `ledger verify`: the console cannot run it (it reads the whole log), only show what it found. */
function Verify() {
  const query = useQuery({ queryKey: ['verification'], queryFn: () => unwrap(api.GET('/log/verification')) });
  return (
    <Panel title="Log integrity (verify)" help="npm run ledger -- verify walks the hash chain and checks every event against its bytes; each run is kept.">
      <QueryState query={query} what="the last verify">
        {({ last }) =>
          last === null ? (
            <Empty>
              <code>verify</code> has not run on this database yet. Run <code>npm run ledger -- verify</code> on the server to check the log&apos;s hash chain.
            </Empty>
          ) : (
            <dl className="facts" data-testid="verification">
              <dt>Outcome</dt>
              <dd>{last.ok ? <Badge tone="ok">the log checks out</Badge> : <Badge tone="bad">broken</Badge>}</dd>
              <dt>When</dt>
              <dd>
                <Time at={last.finished_at} />
              </dd>
              <dt>Reached</dt>
              <dd>
                {last.checked.toLocaleString('en')} links{last.head_position !== null ? `, up to position ${last.head_position}` : ''}
                {last.unchained > 0 ? ` (and ${last.unchained} events not chained yet)` : ''}
              </dd>
              <dt>Erasures</dt>
              <dd>
                {last.erasures} erasure{last.erasures === 1 ? '' : 's'}, {last.redacted_events} redacted event{last.redacted_events === 1 ? '' : 's'} checked
                against their records
              </dd>
              {last.problem && (
                <>
                  <dt>First problem</dt>
                  <dd className="bad">{String((last.problem as Record<string, unknown>).reason ?? JSON.stringify(last.problem))}</dd>
                </>
              )}
            </dl>
          )
        }
      </QueryState>
    </Panel>
  );
}
