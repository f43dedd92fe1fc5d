import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { EventDetail } from '../api/models';
import { download } from '../components/download';
import { Badge, Empty, Json, Panel, Points, QueryState, Signed, Time } from '../components/ui';

/** The raw body as text: the bytes are UTF-8 JSON when the service stored them. */
function decodeBody(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}


export function EventView() {
  const { eventId = '' } = useParams();
  const query = useQuery({
    queryKey: ['event', eventId],
    queryFn: () => unwrap(api.GET('/events/{eventId}', { params: { path: { eventId } } })),
  });
  return (
    <>
      <h1>
        Event <code>{eventId}</code>
      </h1>
      <QueryState query={query} what="the event">
        {(event) => <EventDetails event={event} />}
      </QueryState>
    </>
  );
}

function EventDetails({ event }: { event: EventDetail }) {
  const body = decodeBody(event.raw_body.data);
  return (
    <div className="grid">
      <Panel title="Envelope">
        <dl className="facts">
          <dt>Type</dt>
          <dd>{event.type}</dd>
          <dt>Position in the log</dt>
          <dd data-testid="position">{event.position}</dd>
          <dt title="PostgreSQL transaction id: the order in which events became visible to the read models">Commit (transaction id)</dt>
          <dd>{event.transaction_id}</dd>
          <dt>Signature</dt>
          <dd>
            <Badge tone={event.signature_status === 'verified' || event.signature_status === 'operator' ? 'ok' : 'info'}>{event.signature_status}</Badge>
          </dd>
          <dt>Customer</dt>
          <dd>{event.customer_id ? <Link to={`/customers/${encodeURIComponent(event.customer_id)}`}>{event.customer_id}</Link> : '—'}</dd>
          <dt>Sent by Voucherify at</dt>
          <dd>
            <Time at={event.occurred_at} />
          </dd>
          <dt>Received at</dt>
          <dd>
            <Time at={event.received_at} />
          </dd>
          <dt>Delivery id</dt>
          <dd>{event.delivery_id ?? '—'}</dd>
          <dt>Envelope format</dt>
          <dd>{event.envelope_format}</dd>
        </dl>
      </Panel>
      <Panel title="Request headers kept">
        {Object.keys(event.request_headers).length === 0 ? (
          <Empty>No headers were kept (imported or entered by an operator).</Empty>
        ) : (
          <dl className="headers">
            {Object.entries(event.request_headers).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        )}
      </Panel>
      <Produced event={event} />
      <Panel title={`Raw body (${event.raw_body.size} bytes, as received)`} help={`Shown indented for reading; the download is byte for byte what Voucherify sent (SHA-256 ${event.raw_body.sha256}).`}>
        <p>
          <button onClick={() => void download(`/events/${encodeURIComponent(event.event_id)}/raw`, `${event.event_id}.json`, 'application/json')}>
            Download the exact bytes
          </button>
        </p>
        <div data-testid="raw-body">
          <Json text={body} />
        </div>
      </Panel>
    </div>
  );
}

const HOLDING_ROLE: Record<string, string> = {
  acquired: 'gave this voucher to its holder',
  snapshot: "is the voucher's latest known state",
  assigned: 'assigned a holder',
  removed: 'removed a holder',
};

/** What the event produced, as GET /events/{id}/effects finds it through each read model's keys of the event. */
function Produced({ event }: { event: EventDetail }) {
  const query = useQuery({
    queryKey: ['event-effects', event.event_id],
    queryFn: () => unwrap(api.GET('/events/{eventId}/effects', { params: { path: { eventId: event.event_id } } })),
  });
  return (
    <Panel title="What it produced" help="The read-model rows that cite this event.">
      <QueryState query={query} what="its effects">
        {(effects) => {
          const nothing =
            effects.ledger_entries.length + effects.redemption_transitions.length + effects.holdings.length + effects.cards_in_force.length === 0;
          return (
            <>
              {effects.parked.map((p) => (
                <div key={p.projection} className="state error" role="alert">
                  Parked by <strong>{p.projection}</strong> (<Time at={p.parked_at} />): {p.error}. <Link to="/projections">Retry it</Link>
                </div>
              ))}
              {effects.pending_projections.length > 0 && (
                <p className="muted">Not applied yet by: {effects.pending_projections.join(', ')} (they are catching up).</p>
              )}
              {nothing && effects.parked.length === 0 && (
                <Empty>Nothing: no read model keeps anything from this event (a repeat of known facts, or a type the read models ignore).</Empty>
              )}
              {effects.ledger_entries.length > 0 && (
                <>
                  <h3>Ledger entries</h3>
                  <table>
                    <thead>
                      <tr>
                        <th>Card</th>
                        <th>Transaction</th>
                        <th>Kind</th>
                        <th className="num">Points</th>
                        <th className="num">Balance after</th>
                        <th>At</th>
                      </tr>
                    </thead>
                    <tbody>
                      {effects.ledger_entries.map((e) => (
                        <tr key={`${e.voucher_id}/${e.transaction_id}/${e.occurred_at}`} data-testid="produced-entry">
                          <td>{e.voucher_id}</td>
                          <td>{e.transaction_id ?? (e.derived ? 'derived from a snapshot' : '—')}</td>
                          <td>{e.kind}</td>
                          <td className="num">
                            <Signed value={e.points} />
                          </td>
                          <td className="num">{e.balance_after ?? '—'}</td>
                          <td>
                            <Time at={e.occurred_at} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
              {effects.redemption_transitions.length > 0 && (
                <>
                  <h3>Reward redemption transitions</h3>
                  <ul className="compact">
                    {effects.redemption_transitions.map((t, i) => (
                      <li key={i}>
                        {t.reward_redemption_id}: {t.from ?? 'new'} → {t.to}{' '}
                        {t.applied ? <Badge tone="ok">applied</Badge> : <Badge tone="warn">ignored: {t.ignored_reason}</Badge>}{' '}
                        <span className="muted small">now {t.state_now ?? 'unknown'}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {effects.holdings.length > 0 && (
                <>
                  <h3>Vouchers held</h3>
                  <ul className="compact">
                    {effects.holdings.map((h, i) => (
                      <li key={i}>
                        {h.code ?? h.voucher_id}
                        {h.customer_id ? (
                          <>
                            {' '}
                            of <Link to={`/customers/${encodeURIComponent(h.customer_id)}`}>{h.customer_id}</Link>
                          </>
                        ) : null}
                        : this event {HOLDING_ROLE[h.role] ?? h.role}
                        {h.holder_role ? ` (${h.holder_role})` : ''}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {effects.cards_in_force.length > 0 && (
                <>
                  <h3>Cards whose current state is this event's snapshot</h3>
                  <ul className="compact">
                    {effects.cards_in_force.map((c) => (
                      <li key={c.voucher_id}>
                        {c.code ?? c.voucher_id}: balance <Points value={c.balance} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}
