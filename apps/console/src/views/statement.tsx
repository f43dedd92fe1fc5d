import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, jsonOnly, unwrap } from '../api/client';
import { download } from '../components/download';
import { thisMonth } from '../components/period';
import { Badge, Panel, QueryState, Signed, Time } from '../components/ui';

/** A customer's statement, to read or print (the browser's print to PDF): opening, every entry with its reason, closing, pending. */
export function StatementView() {
  const { customerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const period = { ...thisMonth(), ...Object.fromEntries([...params.entries()].filter(([k, v]) => (k === 'from' || k === 'to') && v)) };
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const query = { from: `${period.from}T00:00:00Z`, to: `${period.to}T00:00:00Z` };
  const statement = useQuery({
    queryKey: ['statement', customerId, query],
    queryFn: () => unwrap(api.GET('/customers/{id}/statement', { params: { path: { id: customerId }, query } })).then(jsonOnly('the statement')),
  });
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setParams({ from, to });
  };
  const csv = () => {
    setDownloadError(null);
    const search = new URLSearchParams({ ...query, format: 'csv' });
    download(`/customers/${encodeURIComponent(customerId)}/statement?${search}`, `statement-${customerId}-${period.from}-${period.to}.csv`, 'text/csv').catch(setDownloadError);
  };
  return (
    <>
      <p className="no-print">
        <Link to={`/customers/${encodeURIComponent(customerId)}`}>← back to the customer</Link>
      </p>
      <form className="filters no-print" onSubmit={apply} aria-label="Statement period">
        <label>
          From (first day, UTC)
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To (day after the last, UTC)
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit">Show</button>
        <button type="button" className="secondary" onClick={() => window.print()}>
          Print / PDF
        </button>
        <button type="button" className="secondary" onClick={csv}>
          Download CSV
        </button>
      </form>
      {downloadError ? <p className="bad">The CSV could not be downloaded: {String(downloadError)}</p> : null}
      <QueryState query={statement} what="the statement">
        {(s) => (
          <article className="statement" data-testid="statement">
            <h1>Points statement</h1>
            <p>
              <strong>{s.name ?? s.customer_id}</strong> <span className="muted">({s.customer_id})</span>
              <br />
              From <Time at={s.from} /> to <Time at={s.to} /> (the end excluded). Computed <Time at={s.generated_at} /> at log position {s.log.position}
              {s.log.chain_head ? `, chain head ${s.log.chain_head.position}:${s.log.chain_head.hash.slice(0, 16)}…` : '.'}
            </p>
            {s.cards.map((c) => (
              <Panel key={c.voucher_id} title={`${c.code ?? c.voucher_id} · ${c.campaign_name ?? c.campaign_id ?? 'no campaign'}`} wide>
                {c.deleted && <Badge tone="bad">deleted: its balance was written off</Badge>}
                <table className="report" data-testid="statement-card">
                  <thead>
                    <tr>
                      <th>Date</th>
                      <th>What</th>
                      <th className="num">Points</th>
                      <th className="num">Balance</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <td>
                        <Time at={s.from} />
                      </td>
                      <td>Opening balance</td>
                      <td />
                      <td className="num" data-testid="statement-opening">
                        {c.opening_balance.toLocaleString('en')}
                      </td>
                    </tr>
                    {c.entries.map((e, i) => (
                      <tr key={`${e.transaction_id ?? 'derived'}-${i}`}>
                        <td>
                          <Time at={e.occurred_at} />
                        </td>
                        <td>
                          {e.kind.replace(/_/g, ' ')}
                          {e.reason ? <div className="muted small">{e.reason}</div> : null}
                          {e.unexplained_before !== 0 ? (
                            <div className="bad small">
                              <Signed value={e.unexplained_before} /> points before it no webhook explained
                            </div>
                          ) : null}
                        </td>
                        <td className="num">
                          <Signed value={e.points} />
                        </td>
                        <td className="num">{e.balance_after.toLocaleString('en')}</td>
                      </tr>
                    ))}
                    <tr className="total">
                      <th>
                        <Time at={s.to} />
                      </th>
                      <th>Closing balance{c.truncated ? ' (more entries than a statement lists: narrow the period)' : ''}</th>
                      <td />
                      <td className="num" data-testid="statement-closing">
                        {c.closing_balance.toLocaleString('en')}
                      </td>
                    </tr>
                    <tr>
                      <td />
                      <td>Pending (not on the balance yet)</td>
                      <td />
                      <td className="num">{c.pending_points === null ? '—' : c.pending_points.toLocaleString('en')}</td>
                    </tr>
                    <tr>
                      <td />
                      <td>
                        Expiring in the next 90 days
                        {c.expiring_points ? (
                          <div className="muted small">
                            {c.expiring_points.source === 'voucherify_export' ? "Voucherify's point buckets" : 'next expiry told by the webhooks (a lower bound)'}, read <Time at={c.expiring_points.read_at} />
                          </div>
                        ) : null}
                      </td>
                      <td />
                      <td className="num" data-testid="statement-expiring">
                        {c.expiring_points ? c.expiring_points.points.toLocaleString('en') : '—'}
                      </td>
                    </tr>
                  </tbody>
                </table>
              </Panel>
            ))}
          </article>
        )}
      </QueryState>
    </>
  );
}
