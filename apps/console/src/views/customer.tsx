import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { FormEvent, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { PointsHistoryEntry } from '../api/models';
import { Badge, Empty, ErrorBox, Loading, Panel, Points, QueryState, Signed, Time } from '../components/ui';

/** Customers found by part of an email, name, phone, card code or source id (GET /customers?q=), or opened by id. */
export function CustomerSearch() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [value, setValue] = useState(q);
  useEffect(() => setValue(q), [q]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) setParams({ q: value.trim() });
  };
  return (
    <>
      <h1>Customers</h1>
      <form className="filters" onSubmit={submit} aria-label="Search customers">
        <label className="field">
          <span>Email, name, phone, card code, source id or cust_ id (any part, 3 characters or more)</span>
          <input autoFocus value={value} onChange={(e) => setValue(e.target.value)} placeholder="e.g. ann@ or COFFEE-7" size={40} />
        </label>
        <div className="actions">
          <button type="submit">Search</button>
          <button type="button" className="secondary" disabled={!value.trim()} onClick={() => navigate(`/customers/${encodeURIComponent(value.trim())}`)}>
            Open by id
          </button>
        </div>
      </form>
      {q.length >= 3 ? <SearchResults q={q} /> : q ? <p className="help">Type at least 3 characters.</p> : <p className="help">Customer ids also link from the inbox and from each event.</p>}
    </>
  );
}

function SearchResults({ q }: { q: string }) {
  const query = useInfiniteQuery({
    queryKey: ['customer-search', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/customers', { params: { query: { q, limit: 20, cursor: pageParam } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const found = query.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Panel title={`Customers matching “${q}”`} wide>
      {query.isPending ? (
        <Loading what="customers" />
      ) : query.isError ? (
        <ErrorBox error={query.error} what="customers" />
      ) : found.length === 0 ? (
        <Empty>No customer matches. An erased customer is found only by id.</Empty>
      ) : (
        <table data-testid="search-results">
          <thead>
            <tr>
              <th>Customer</th>
              <th>Email</th>
              <th>Phone</th>
              <th>Source id</th>
              <th>Cards</th>
              <th>Match</th>
            </tr>
          </thead>
          <tbody>
            {found.map((c) => (
              <tr key={c.id} data-testid="search-result">
                <td>
                  <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.name ?? c.id}</Link>
                  <div className="muted small">{c.id}</div>
                  {c.deleted && <Badge tone="bad">deleted in Voucherify</Badge>}
                </td>
                <td>{c.email ?? '—'}</td>
                <td>{c.phone ?? '—'}</td>
                <td>{c.source_id ?? '—'}</td>
                <td className="small">{c.card_codes.join(', ') || '—'}</td>
                <td className="small">{c.match.replace(/_/g, ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {query.hasNextPage && (
        <button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          More
        </button>
      )}
    </Panel>
  );
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** `as_of` in the URL is a day (its end, UTC) or an exact time. */
const asOfTime = (asOf: string) => (DATE_ONLY.test(asOf) ? `${asOf}T23:59:59.999Z` : asOf);
const notAfter = (at: string | null | undefined, asOf: string | undefined) => !asOf || (at !== null && at !== undefined && at <= asOf);

export function CustomerView() {
  const { customerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const asOfParam = params.get('as_of') ?? '';
  const asOf = asOfParam ? asOfTime(asOfParam) : undefined;
  const setAsOf = (day: string) => setParams(day ? { as_of: day } : {});
  const path = { id: customerId };

  const customer = useQuery({
    queryKey: ['customer', customerId, asOf],
    queryFn: () => unwrap(api.GET('/customers/{id}', { params: { path, query: { as_of: asOf } } })),
  });
  return (
    <>
      <h1>
        {customer.data?.name ?? 'Customer'} <code>{customerId}</code>
      </h1>
      <form className="as-of" onSubmit={(e) => e.preventDefault()} aria-label="As of">
        <label className="field">
          <span>Show everything as it stood at the end of (UTC)</span>
          <input type="date" value={DATE_ONLY.test(asOfParam) ? asOfParam : asOfParam.slice(0, 10)} onChange={(e) => setAsOf(e.target.value)} />
        </label>
        <button type="button" onClick={() => setAsOf('')} disabled={!asOfParam}>
          Now
        </button>
        <span className="muted">{asOf ? <>Showing the state at <Time at={asOf} /></> : 'Showing the state now'}</span>
      </form>
      <QueryState query={customer} what="the customer">
        {(c) => (
          <div className="grid">
            <Panel title="Profile">
              <dl className="facts">
                <dt>Name</dt>
                <dd>{c.name ?? '—'}</dd>
                <dt>Email</dt>
                <dd>{c.email ?? '—'}</dd>
                <dt>Source id</dt>
                <dd>{c.source_id ?? '—'}</dd>
                <dt>Points balance</dt>
                <dd className="big" data-testid="customer-balance">
                  <Points value={c.loyalty.balance} />
                </dd>
                <dt>Earned in total</dt>
                <dd>
                  <Points value={c.loyalty.points} />
                </dd>
                <dt>Redeemed</dt>
                <dd>
                  <Points value={c.loyalty.redeemed_points} />
                </dd>
                <dt>Pending</dt>
                <dd>
                  <Points value={c.loyalty.pending_points} />
                </dd>
                <dt>Status</dt>
                <dd>{c.deleted ? <Badge tone="bad">deleted in Voucherify</Badge> : <Badge tone="ok">active</Badge>}</dd>
                <dt>Statement</dt>
                <dd>
                  <Link to={`/customers/${encodeURIComponent(customerId)}/statement`}>Points statement (print or CSV)</Link>
                </dd>
              </dl>
            </Panel>
            <Cards customerId={customerId} asOf={asOf} />
            <Timeline customerId={customerId} asOf={asOf} />
            <PendingPoints customerId={customerId} asOf={asOf} />
            <Redemptions customerId={customerId} asOf={asOf} />
            <Vouchers customerId={customerId} asOf={asOf} />
            <Tiers customerId={customerId} asOf={asOf} />
          </div>
        )}
      </QueryState>
    </>
  );
}

function Cards({ customerId, asOf }: { customerId: string; asOf?: string }) {
  const query = useQuery({
    queryKey: ['customer-cards', customerId, asOf],
    queryFn: () => unwrap(api.GET('/customers/{id}/loyalty-cards', { params: { path: { id: customerId }, query: { as_of: asOf } } })),
  });
  return (
    <Panel title="Loyalty cards" wide>
      <QueryState query={query} what="cards">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>{asOf ? 'No card had an entry by then.' : 'This customer holds no loyalty card.'}</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Card</th>
                  <th>Programme</th>
                  <th className="num">Balance</th>
                  <th className="num">Earned</th>
                  <th className="num">Redeemed</th>
                  <th className="num">Expired</th>
                  <th className="num">Pending</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {data.map((card) => (
                  <tr key={card.voucher_id} data-testid="card-row">
                    <td>
                      {card.code ?? card.voucher_id}
                      <div className="muted small">{card.voucher_id}</div>
                    </td>
                    <td>{card.campaign_name ?? card.campaign_id ?? '—'}</td>
                    <td className="num" data-testid="card-balance">
                      <Points value={card.balance} />
                    </td>
                    <td className="num">
                      <Points value={card.points} />
                    </td>
                    <td className="num">
                      <Points value={card.redeemed_points} />
                    </td>
                    <td className="num">
                      <Points value={card.expired_points} />
                    </td>
                    <td className="num" data-testid="card-pending">
                      <Points value={card.pending_points} />
                    </td>
                    <td>{'status' in card && card.status ? <Badge tone={card.status === 'active' ? 'ok' : 'warn'}>{card.status}</Badge> : <span className="muted">as of then</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </Panel>
  );
}

const MAX_PAGES = 10;

function Timeline({ customerId, asOf }: { customerId: string; asOf?: string }) {
  const query = useInfiniteQuery({
    queryKey: ['customer-history', customerId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/customers/{id}/points-history', { params: { path: { id: customerId }, query: { limit: 200, cursor: pageParam } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const all = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const shown = all.filter((e) => notAfter(e.occurred_at, asOf));
  // The history comes newest first; a date far back needs older pages (a few at most, then a button).
  useEffect(() => {
    if (asOf && shown.length < 20 && query.hasNextPage && !query.isFetchingNextPage && (query.data?.pages.length ?? 0) < MAX_PAGES) void query.fetchNextPage();
  }, [asOf, shown.length, query]);
  return (
    <Panel wide title="Points ledger (newest first)" help="One line per loyalty transaction. A red line marks a gap: the balance jumped without a webhook explaining it.">
      {query.isPending ? (
        <Loading what="the ledger" />
      ) : query.isError ? (
        <ErrorBox error={query.error} what="the ledger" />
      ) : shown.length === 0 ? (
        <Empty>{asOf ? 'No ledger entry by then.' : 'No ledger entry yet.'}</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>At</th>
              <th>What</th>
              <th className="num">Points</th>
              <th className="num">Balance</th>
              <th>Card</th>
              <th>Events</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <LedgerRow key={`${e.voucher_id}/${e.transaction_id}/${e.occurred_at}/${e.event_ids[0]}`} entry={e} />
            ))}
          </tbody>
        </table>
      )}
      {query.hasNextPage && (
        <button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          Older entries
        </button>
      )}
    </Panel>
  );
}

function LedgerRow({ entry: e }: { entry: PointsHistoryEntry }) {
  const gap = e.unexplained_before !== null && e.unexplained_before !== 0;
  return (
    <>
      <tr>
        <td>
          <Time at={e.occurred_at} />
        </td>
        <td>
          {e.kind}
          {e.derived ? <Badge tone="info">derived from a card snapshot</Badge> : null}
          {e.reason ? <div className="muted small">{e.reason}</div> : null}
        </td>
        <td className="num" data-testid="entry-points">
          <Signed value={e.delta} />
        </td>
        <td className="num">{e.balance_after ?? '—'}</td>
        <td className="small">{e.voucher_id}</td>
        <td className="small">
          {e.event_ids.map((id) => (
            <div key={id}>
              <Link to={`/events/${encodeURIComponent(id)}`}>{id}</Link>
            </div>
          ))}
        </td>
      </tr>
      {gap && (
        <tr className="gap" data-testid="gap-row">
          <td colSpan={6}>
            Gap before this entry: <Signed value={e.unexplained_before} /> points changed with no webhook received for them (balance before this entry:{' '}
            {e.balance_before ?? 'unknown'}).
          </td>
        </tr>
      )}
    </>
  );
}

/** Each card's pending ledger: points promised (an order not yet confirmed) until they activate or are cancelled. */
function PendingPoints({ customerId, asOf }: { customerId: string; asOf?: string }) {
  const query = useQuery({
    queryKey: ['customer-pending', customerId, asOf],
    queryFn: async () => {
      const cards = await unwrap(api.GET('/customers/{id}/loyalty-cards', { params: { path: { id: customerId } } }));
      const pages = await Promise.all(
        cards.data.map((card) =>
          unwrap(api.GET('/loyalty-cards/{idOrCode}/pending-points', { params: { path: { idOrCode: card.voucher_id }, query: { limit: 100, to: asOf } } })),
        ),
      );
      return pages.flatMap((p) => p.data).sort((a, b) => String(b.occurred_at).localeCompare(String(a.occurred_at)));
    },
  });
  return (
    <Panel wide title="Pending points (newest first)" help="Points Voucherify holds back until they activate (e.g. after a return window). Not in the balance until then.">
      <QueryState query={query} what="pending points">
        {(movements) =>
          movements.length === 0 ? (
            <Empty>{asOf ? 'No pending points by then.' : 'No pending points.'}</Empty>
          ) : (
            <table data-testid="pending-movements">
              <thead>
                <tr>
                  <th>At</th>
                  <th>What</th>
                  <th className="num">Points</th>
                  <th className="num">Pending after</th>
                  <th>Entry</th>
                  <th>Activates</th>
                </tr>
              </thead>
              <tbody>
                {movements.map((m) => (
                  <tr key={`${m.voucher_id}/${m.entry_id}/${m.movement}/${m.pending_after}/${m.event_ids[0]}`}>
                    <td>
                      <Time at={m.occurred_at} />
                    </td>
                    <td>
                      {m.movement}
                      {m.order_id ? <div className="muted small">order {m.order_id}</div> : null}
                    </td>
                    <td className="num">
                      <Signed value={m.points} />
                    </td>
                    <td className="num">{m.pending_after.toLocaleString('en')}</td>
                    <td className="small">
                      {m.entry_id ?? '—'}
                      <div className="muted">{m.voucher_id}</div>
                    </td>
                    <td>{m.activates_at ? <Time at={m.activates_at} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </Panel>
  );
}

function Redemptions({ customerId, asOf }: { customerId: string; asOf?: string }) {
  const query = useQuery({
    queryKey: ['customer-redemptions', customerId],
    queryFn: () => unwrap(api.GET('/customers/{id}/reward-redemptions', { params: { path: { id: customerId } } })),
  });
  return (
    <Panel title="Reward redemptions" help="Each state change Voucherify reported; one arriving out of order or contradicting a final state is ignored, with the reason.">
      <QueryState query={query} what="reward redemptions">
        {({ data }) => {
          const list = data.filter((r) => notAfter(r.created_at ?? r.transitions?.[0]?.at, asOf));
          return list.length === 0 ? (
            <Empty>No reward redeemed{asOf ? ' by then' : ''}.</Empty>
          ) : (
            <ul className="redemptions">
              {list.map((r) => {
                const transitions = (r.transitions ?? []).filter((t) => notAfter(t.at, asOf));
                const state = asOf ? ([...transitions].reverse().find((t) => t.applied)?.to ?? r.state) : r.state;
                return (
                  <li key={r.id}>
                    <strong>{r.reward_name ?? r.id}</strong> ({r.reward_type ?? 'reward'}, {r.points ?? '?'} points) — <Badge tone="info">{state}</Badge>
                    <ol className="transitions">
                      {transitions.map((t, i) => (
                        <li key={i} className={t.applied ? '' : 'ignored'}>
                          <Time at={t.at} /> {t.from ?? 'new'} → {t.to}{' '}
                          {t.applied ? null : <Badge tone="warn">ignored: {t.ignored_reason ?? 'no reason given'}</Badge>}{' '}
                          <Link to={`/events/${encodeURIComponent(t.event_id)}`} className="small">
                            event
                          </Link>
                        </li>
                      ))}
                    </ol>
                  </li>
                );
              })}
            </ul>
          );
        }}
      </QueryState>
    </Panel>
  );
}

function Vouchers({ customerId, asOf }: { customerId: string; asOf?: string }) {
  const query = useQuery({
    queryKey: ['customer-vouchers', customerId],
    queryFn: () => unwrap(api.GET('/customers/{id}/vouchers', { params: { path: { id: customerId } } })),
  });
  return (
    <Panel title="Vouchers held" help={asOf ? 'Those acquired by then; their status is today\'s (the API keeps no history of it).' : undefined}>
      <QueryState query={query} what="vouchers">
        {({ data }) => {
          const list = data.filter((v) => notAfter(v.acquired_at, asOf));
          return list.length === 0 ? (
            <Empty>No voucher held{asOf ? ' by then' : ''}.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Code</th>
                  <th>Type</th>
                  <th>Campaign</th>
                  <th>Acquired</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {list.map((v) => (
                  <tr key={v.voucher_id}>
                    <td>{v.code ?? v.voucher_id}</td>
                    <td>{v.type ?? '—'}</td>
                    <td>{v.campaign_name ?? '—'}</td>
                    <td>
                      <Time at={v.acquired_at} /> <span className="muted small">via {v.acquired_via}</span>
                    </td>
                    <td>
                      <Badge tone={v.status === 'active' ? 'ok' : 'warn'}>{v.status}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </QueryState>
    </Panel>
  );
}

function Tiers({ customerId, asOf }: { customerId: string; asOf?: string }) {
  const query = useQuery({
    queryKey: ['customer-tiers', customerId],
    queryFn: () => unwrap(api.GET('/customers/{id}/loyalty-tiers', { params: { path: { id: customerId } } })),
  });
  return (
    <Panel title="Loyalty tiers">
      <QueryState query={query} what="tiers">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No tier reported for this customer.</Empty>
          ) : (
            <ul className="compact">
              {data.map((t) => {
                const changes = t.history.filter((h) => notAfter(h.at, asOf));
                const tier = asOf ? (changes[changes.length - 1]?.to ?? null) : t.tier;
                return (
                  <li key={t.campaign_id}>
                    {t.campaign_name ?? t.campaign_id}: <strong>{tier?.name ?? tier?.id ?? 'no tier'}</strong>
                    {!asOf && t.since ? (
                      <>
                        {' '}
                        since <Time at={t.since} />
                      </>
                    ) : null}{' '}
                    <span className="muted small">({changes.length} changes)</span>
                  </li>
                );
              })}
            </ul>
          )
        }
      </QueryState>
    </Panel>
  );
}
