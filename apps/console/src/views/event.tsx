import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { EventDetail, LedgerEntry, Paged, RewardRedemption } from '../api/models';
import { download } from '../components/download';
import { Badge, Empty, Json, Panel, QueryState, Signed, Time } from '../components/ui';

/** The raw body as text: the bytes are UTF-8 JSON when the service stored them. */
function decodeBody(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

const pick = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), value);
const text = (value: unknown) => (typeof value === 'string' && value.length > 0 && value.length < 256 ? value : undefined);

export function EventView() {
  const { eventId = '' } = useParams();
  const query = useQuery({
    queryKey: ['event', eventId],
    queryFn: () => unwrap<EventDetail>(api.GET('/events/{eventId}', { params: { path: { eventId } } })),
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
          <dt>Database transaction</dt>
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

/**
 * What the event produced. The API has no "what cites this event" route: the console follows the
 * ids the payload names (its loyalty card, its reward redemption, its voucher) and shows what there
 * cites this event id.
 */
function Produced({ event }: { event: EventDetail }) {
  const payload = event.payload;
  const voucher = pick(payload, 'data', 'voucher');
  const cardId = text(pick(payload, 'data', 'transaction', 'voucher_id')) ?? (pick(voucher, 'type') === 'LOYALTY_CARD' ? text(pick(voucher, 'id')) : undefined);
  const redemptionId = text(pick(payload, 'data', 'reward_redemption', 'id'));
  const voucherId = text(pick(voucher, 'id'));

  const entries = useQuery({
    queryKey: ['event-ledger', event.event_id, cardId],
    enabled: cardId !== undefined,
    queryFn: async () => {
      const page = await unwrap<Paged<LedgerEntry>>(
        api.GET('/loyalty-cards/{idOrCode}/ledger', { params: { path: { idOrCode: cardId! }, query: { limit: 500 } } }),
      );
      return page.data.filter((e) => e.event_ids.includes(event.event_id));
    },
  });
  const redemption = useQuery({
    queryKey: ['event-redemption', redemptionId],
    enabled: redemptionId !== undefined,
    queryFn: () => unwrap<RewardRedemption>(api.GET('/reward-redemptions/{id}', { params: { path: { id: redemptionId! } } })),
  });

  const nothingNamed = !cardId && !redemptionId && !voucherId;
  return (
    <Panel
      title="What it produced"
      help="Found by following the card, reward redemption and voucher this event names (the API has no reverse index of events)."
    >
      {nothingNamed && <Empty>This event names no loyalty card, reward redemption or voucher: no read model takes anything from it.</Empty>}
      {cardId && (
        <>
          <h3>
            Ledger entries of card <code>{cardId}</code> citing this event
          </h3>
          <QueryState query={entries} what="ledger entries">
            {(list) =>
              list.length === 0 ? (
                <Empty>None among the card's newest 500 entries (a snapshot the chain already explained adds no entry).</Empty>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th>Transaction</th>
                      <th>Kind</th>
                      <th className="num">Points</th>
                      <th className="num">Balance after</th>
                      <th>At</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((e) => (
                      <tr key={`${e.transaction_id}/${e.occurred_at}`} data-testid="produced-entry">
                        <td>{e.transaction_id ?? (e.derived ? 'derived from a snapshot' : '—')}</td>
                        <td>{e.kind}</td>
                        <td className="num">
                          <Signed value={e.points ?? e.delta} />
                        </td>
                        <td className="num">{e.balance_after ?? '—'}</td>
                        <td>
                          <Time at={e.occurred_at} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
          </QueryState>
        </>
      )}
      {redemptionId && (
        <>
          <h3>
            Reward redemption <code>{redemptionId}</code>
          </h3>
          <QueryState query={redemption} what="the reward redemption">
            {(r) => {
              const mine = (r.transitions ?? []).filter((t) => t.event_id === event.event_id);
              return mine.length === 0 ? (
                <Empty>No transition cites this event.</Empty>
              ) : (
                <ul className="compact">
                  {mine.map((t, i) => (
                    <li key={i}>
                      {t.from ?? 'new'} → {t.to} {t.applied ? <Badge tone="ok">applied</Badge> : <Badge tone="warn">ignored: {t.ignored_reason}</Badge>}
                    </li>
                  ))}
                </ul>
              );
            }}
          </QueryState>
        </>
      )}
      {voucherId && !cardId && (
        <p>
          Voucher <code>{voucherId}</code>
          {event.customer_id ? (
            <>
              {' '}
              — see the <Link to={`/customers/${encodeURIComponent(event.customer_id)}`}>customer's vouchers</Link>.
            </>
          ) : null}
        </p>
      )}
    </Panel>
  );
}
