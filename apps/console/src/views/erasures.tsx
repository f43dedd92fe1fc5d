import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { Erasure, ErasurePreview } from '../api/models';
import { useAccess } from '../auth/auth';
import { Badge, Empty, ErrorBox, Panel, QueryState, Time } from '../components/ui';

const STATUS_TONE: Record<string, 'ok' | 'warn' | 'bad' | 'info'> = { done: 'ok', running: 'info', pending: 'info', failed: 'bad' };

/** Erasure of a customer's personal data (GDPR article 17): what it removes first, then the erasure and its record on the chain. */
export function ErasuresView() {
  const access = useAccess();
  return (
    <>
      <h1>Erasures</h1>
      <p className="lead">
        Removes a customer&apos;s personal data (name, email, phone, address, birth date, metadata, and a source id that is an email) from every event
        that names them, from refused deliveries and from the read models. Ids, amounts and times stay, so every balance, the points ledger and the
        reports are the same afterwards, and <code>ledger verify</code> still proves the log: each erasure leaves a record on the hash chain. It cannot be
        undone. Backups taken before it still hold the data (see the operations guide).
      </p>
      {access === 'admin' ? (
        <>
          <StartErasure />
          <ErasureList />
        </>
      ) : (
        <Empty>Erasure changes the log: sign in with the admin token to see and start erasures.</Empty>
      )}
    </>
  );
}

function StartErasure() {
  const client = useQueryClient();
  const [customer, setCustomer] = useState('');
  const [reason, setReason] = useState('');
  const preview = useMutation({ mutationFn: () => unwrap(api.POST('/admin/erasures/preview', { body: { customer: customer.trim() } })) });
  const erase = useMutation({
    mutationFn: () => unwrap(api.POST('/admin/erasures', { body: { customer: customer.trim(), ...(reason.trim() ? { reason: reason.trim() } : {}) } })),
    onSuccess: () => {
      preview.reset();
      void client.invalidateQueries({ queryKey: ['erasures'] });
    },
  });
  const review = (e: FormEvent) => {
    e.preventDefault();
    erase.reset();
    if (customer.trim()) preview.mutate();
  };
  return (
    <Panel title="Erase a customer" help="Review first: the counts say what will be removed. Nothing changes until you confirm.">
      <form className="filters" onSubmit={review} aria-label="Erase a customer">
        <label>
          Customer (cust_… or your source id)
          <input
            value={customer}
            onChange={(e) => {
              setCustomer(e.target.value);
              preview.reset();
            }}
            placeholder="cust_…"
            size={30}
          />
        </label>
        <label>
          Reason (kept on the chain: no personal data)
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="request #…" size={24} />
        </label>
        <button type="submit" disabled={preview.isPending || !customer.trim()}>
          Review
        </button>
      </form>
      {preview.isError && <ErrorBox error={preview.error} what="the review" />}
      {preview.data && <PreviewSummary preview={preview.data} onConfirm={() => erase.mutate()} confirming={erase.isPending} />}
      {erase.isError && <ErrorBox error={erase.error} what="the erasure" />}
      {erase.data && (
        <p role="status" data-testid="erasure-started">
          Erasure <code>{erase.data.id}</code> started: it appears below and finishes in a few seconds.
        </p>
      )}
    </Panel>
  );
}

function PreviewSummary({ preview, onConfirm, confirming }: { preview: ErasurePreview; onConfirm: () => void; confirming: boolean }) {
  const fields = Object.entries(preview.fields).sort((a, b) => b[1] - a[1]);
  return (
    <div className="plan" data-testid="erasure-preview">
      <p>
        Customer <code>{preview.customer_id}</code>: personal data in <strong data-testid="preview-events">{preview.events}</strong> event
        {preview.events === 1 ? '' : 's'} and <strong>{preview.rejected_deliveries}</strong> refused deliver{preview.rejected_deliveries === 1 ? 'y' : 'ies'}.
      </p>
      {fields.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Field removed</th>
              <th className="num">Times</th>
            </tr>
          </thead>
          <tbody>
            {fields.map(([name, count]) => (
              <tr key={name}>
                <td>{name}</td>
                <td className="num">{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview.existing_erasure ? (
        <p>
          <Badge tone="warn">already erased</Badge> by <code>{preview.existing_erasure}</code>: a customer is erased once.
        </p>
      ) : (
        <button type="button" className="danger" onClick={onConfirm} disabled={confirming}>
          Erase for good
        </button>
      )}
    </div>
  );
}

function ErasureList() {
  const query = useQuery({
    queryKey: ['erasures'],
    queryFn: () => unwrap(api.GET('/admin/erasures', { params: { query: { limit: 100 } } })),
    refetchInterval: (q) => (q.state.data?.data.some((e) => e.status === 'pending' || e.status === 'running') ? 1000 : false),
  });
  return (
    <Panel title="Erasures (newest first)" wide>
      <QueryState query={query} what="erasures">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No customer was erased yet.</Empty>
          ) : (
            <table data-testid="erasures">
              <thead>
                <tr>
                  <th>Requested</th>
                  <th>Customer</th>
                  <th>State</th>
                  <th className="num">Events redacted</th>
                  <th className="num">Refused deliveries</th>
                  <th>Record on the chain</th>
                  <th>By, why</th>
                </tr>
              </thead>
              <tbody>
                {data.map((e) => (
                  <ErasureRow key={e.id} erasure={e} />
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </Panel>
  );
}

function ErasureRow({ erasure: e }: { erasure: Erasure }) {
  return (
    <tr data-testid="erasure-row">
      <td>
        <Time at={e.requested_at} />
        <div className="muted small">{e.id}</div>
      </td>
      <td>{e.customer_id}</td>
      <td>
        <Badge tone={STATUS_TONE[e.status] ?? 'info'}>{e.status}</Badge>
        {e.error && <div className="muted small">{e.error}</div>}
      </td>
      <td className="num">{e.result?.events_redacted ?? e.progress.events_found ?? '—'}</td>
      <td className="num">{e.result?.rejected_deliveries_cleared ?? '—'}</td>
      <td className="small">{e.result ? `${e.result.record_event_id} (position ${e.result.record_position})` : '—'}</td>
      <td className="small">
        {e.requested_by}
        {e.reason && <div className="muted">{e.reason}</div>}
      </td>
    </tr>
  );
}
