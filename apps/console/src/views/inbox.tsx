import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { followEvents } from '../api/event-stream';
import type { EventSummary } from '../api/models';
import { useAccess } from '../auth/auth';
import { Field, FilterForm, localInputToIso, useUrlFilters } from '../components/filters';
import { Badge, Empty, ErrorBox, Loading, Time } from '../components/ui';

const EVENT_FILTERS = ['type', 'customer', 'signature', 'from', 'to'] as const;
const REFUSAL_FILTERS = ['reason', 'status', 'from', 'to'] as const;
const PAGE = 50;

export function InboxView() {
  const { params, setParams } = useUrlFilters([]);
  const tab = params.get('tab') === 'refused' ? 'refused' : 'events';
  const show = (next: 'events' | 'refused') => setParams(next === 'events' ? {} : { tab: next });
  return (
    <>
      <h1>Inbox</h1>
      <p className="lead">Everything Voucherify sent: the events the ledger stored, newest first, and the deliveries it refused.</p>
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'events'} onClick={() => show('events')}>
          Stored events
        </button>
        <button role="tab" aria-selected={tab === 'refused'} onClick={() => show('refused')}>
          Refused deliveries
        </button>
      </div>
      {tab === 'events' ? <EventLog /> : <Refused />}
    </>
  );
}

const SIGNATURE_HELP: Record<string, string> = {
  verified: 'signature checked',
  unsigned: 'no secret configured',
  imported: 'imported from a file',
  operator: 'entered by an operator',
};

function matches(event: EventSummary, filters: Record<string, string>): boolean {
  if (filters.type && event.type !== filters.type) return false;
  if (filters.customer && event.customer_id !== filters.customer) return false;
  if (filters.signature && event.signature_status !== filters.signature) return false;
  if (filters.to) return false; // a window that ends: nothing new belongs in it
  return true;
}

function EventLog() {
  const { values, apply, clear } = useUrlFilters(EVENT_FILTERS);
  const query = useInfiniteQuery({
    queryKey: ['events', values],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/events', {
          params: {
            query: {
              order: 'desc',
              before: pageParam,
              limit: PAGE,
              type: values.type || undefined,
              customer_id: values.customer || undefined,
              signature_status: (values.signature || undefined) as 'verified' | undefined,
              received_from: localInputToIso(values.from),
              received_to: localInputToIso(values.to),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
  const [live, setLive] = useState(false);
  const [liveState, setLiveState] = useState<string>('');
  const [arrived, setArrived] = useState<EventSummary[]>([]);
  const newest = query.data?.pages[0]?.data[0]?.position ?? 0;

  useEffect(() => setArrived([]), [query.data?.pages[0]]);
  useEffect(() => {
    if (!live || query.isPending) return;
    const stop = followEvents(
      newest,
      (event) => {
        if (matches(event, values)) setArrived((list) => (list.some((e) => e.event_id === event.event_id) ? list : [event, ...list].slice(0, 500)));
      },
      (state, detail) => setLiveState(state === 'live' ? 'live: new events appear at the top' : `${state}${detail ? ` (${detail})` : ''}`),
    );
    return () => {
      stop();
      setLiveState('');
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live, newest, query.isPending, JSON.stringify(values)]);

  const events = [...arrived, ...(query.data?.pages.flatMap((p) => p.data) ?? [])];
  return (
    <>
      <FilterForm label="Filter events" onApply={apply} onClear={clear} key={JSON.stringify(values)}>
        <Field label="Type">
          <input name="type" defaultValue={values.type} placeholder="e.g. voucher.published" />
        </Field>
        <Field label="Customer id">
          <input name="customer" defaultValue={values.customer} placeholder="cust_…" />
        </Field>
        <Field label="Signature">
          <select name="signature" defaultValue={values.signature}>
            <option value="">any</option>
            {Object.entries(SIGNATURE_HELP).map(([status, help]) => (
              <option key={status} value={status}>
                {status} ({help})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Received from (UTC)">
          <input name="from" type="datetime-local" defaultValue={values.from} />
        </Field>
        <Field label="Received before (UTC)">
          <input name="to" type="datetime-local" defaultValue={values.to} />
        </Field>
      </FilterForm>
      <p className="live">
        <label>
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live tail
        </label>{' '}
        <span className="muted" data-testid="live-state">
          {live ? liveState || 'connecting…' : 'off: the list shows what was there when it loaded'}
        </span>
      </p>
      {query.isPending ? (
        <Loading what="events" />
      ) : query.isError ? (
        <ErrorBox error={query.error} what="events" />
      ) : events.length === 0 ? (
        <Empty>No event matches these filters.</Empty>
      ) : (
        <table className="events">
          <thead>
            <tr>
              <th className="num">Position</th>
              <th>Received</th>
              <th>Type</th>
              <th>Customer</th>
              <th>Signature</th>
              <th>Event id</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.event_id} className={arrived.includes(e) ? 'arrived' : undefined}>
                <td className="num">{e.position}</td>
                <td>
                  <Time at={e.received_at} />
                </td>
                <td>{e.type}</td>
                <td>{e.customer_id ? <Link to={`/customers/${encodeURIComponent(e.customer_id)}`}>{e.customer_id}</Link> : <span className="muted">—</span>}</td>
                <td>
                  <Badge tone={e.signature_status === 'verified' || e.signature_status === 'operator' ? 'ok' : 'info'}>{e.signature_status}</Badge>
                </td>
                <td>
                  <Link to={`/events/${encodeURIComponent(e.event_id)}`}>{e.event_id}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {query.hasNextPage && (
        <button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? 'Loading…' : 'Older events'}
        </button>
      )}
    </>
  );
}

function Refused() {
  const access = useAccess();
  const { values, apply, clear } = useUrlFilters(REFUSAL_FILTERS);
  const query = useInfiniteQuery({
    queryKey: ['refused', values],
    enabled: access === 'admin',
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/admin/rejected-deliveries', {
          params: {
            query: {
              cursor: pageParam,
              limit: PAGE,
              reason: values.reason || undefined,
              status: values.status ? Number(values.status) : undefined,
              from: localInputToIso(values.from),
              to: localInputToIso(values.to),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  if (access !== 'admin') return <Empty>Refused deliveries can hold customer data: sign in with the admin token to see them.</Empty>;
  const rows = query.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <p className="help">
        Deliveries from a sender that passed the signature check but were refused (not JSON, not a Voucherify event, a changed event under a known id…),
        kept whole so you can see why. Unsigned or oversized deliveries are only counted (see the overview).
      </p>
      <FilterForm label="Filter refused deliveries" onApply={apply} onClear={clear} key={JSON.stringify(values)}>
        <Field label="Reason">
          <input name="reason" defaultValue={values.reason} placeholder="e.g. invalid_envelope" />
        </Field>
        <Field label="HTTP status">
          <input name="status" defaultValue={values.status} inputMode="numeric" placeholder="e.g. 422" />
        </Field>
        <Field label="From (UTC)">
          <input name="from" type="datetime-local" defaultValue={values.from} />
        </Field>
        <Field label="Before (UTC)">
          <input name="to" type="datetime-local" defaultValue={values.to} />
        </Field>
      </FilterForm>
      {query.isPending ? (
        <Loading what="refused deliveries" />
      ) : query.isError ? (
        <ErrorBox error={query.error} what="refused deliveries" />
      ) : rows.length === 0 ? (
        <Empty>No refused delivery matches: every signed webhook was stored.</Empty>
      ) : (
        <div className="refusals">
          {rows.map((r) => (
            <details key={r.id} className="refusal" data-testid="refusal">
              <summary>
                <Time at={r.rejected_at} /> · <Badge tone="bad">{r.status_code}</Badge> <strong>{r.reason}</strong>
                {r.detail ? <span className="muted"> — {r.detail.split('\n')[0]}</span> : null}
                {r.event_id ? <span className="muted"> · event {r.event_id}</span> : null}
              </summary>
              {/* The service keeps the message, then one line per problem found. */}
              {r.detail && r.detail.includes('\n') ? (
                <ul className="problems" data-testid="refusal-problems">
                  {r.detail
                    .split('\n')
                    .slice(1)
                    .map((line, i) => (
                      <li key={i}>{line}</li>
                    ))}
                </ul>
              ) : null}
              <h3>Headers kept</h3>
              <dl className="headers">
                {Object.entries(r.request_headers ?? {}).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
              <h3>
                Body ({r.body_size ?? '?'} bytes{r.body_truncated ? ', first KiB shown' : ''})
              </h3>
              <pre className="json" tabIndex={0} aria-label="The body's first KiB">
                {r.body_start ?? '(none kept)'}
              </pre>
            </details>
          ))}
        </div>
      )}
      {query.hasNextPage && (
        <button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          Older refusals
        </button>
      )}
    </>
  );
}
