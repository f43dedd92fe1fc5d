import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { DeadLetter, RebuildJob } from '../api/models';
import { useAccess } from '../auth/auth';
import { READ_MODEL_HELP } from '../components/read-models';
import { Badge, Empty, ErrorBox, Panel, QueryState, Time } from '../components/ui';
import { ProjectionTable } from './overview';

export function ProjectionsView() {
  const access = useAccess();
  return (
    <>
      <h1>Projections</h1>
      <p className="lead">
        The read models (balances, ledger, redemptions, vouchers…) are built from the event log. Rebuild one to recompute it from the log while the service keeps
        answering; retry events a read model could not apply once the cause is fixed.
      </p>
      {access === 'admin' ? <AdminProjections /> : <ReadOnlyProjections />}
    </>
  );
}

function ReadOnlyProjections() {
  const query = useQuery({ queryKey: ['projections'], queryFn: () => unwrap(api.GET('/projections', {})), refetchInterval: 5000 });
  return (
    <Panel title="Status" help="Sign in with the admin token to rebuild or retry.">
      <QueryState query={query} what="projections">
        {({ data }) => <ProjectionTable projections={data} />}
      </QueryState>
    </Panel>
  );
}

function AdminProjections() {
  const client = useQueryClient();
  const [running, setRunning] = useState(false);
  const query = useQuery({
    queryKey: ['admin-projections'],
    queryFn: () => unwrap(api.GET('/admin/projections', {})),
    refetchInterval: running ? 500 : 5000,
  });
  const jobs = query.data?.rebuilds ?? [];
  const anyRunning = jobs.some((j) => j.state === 'running');
  if (anyRunning !== running) setRunning(anyRunning);
  const rebuild = useMutation({
    mutationFn: (name: string) => unwrap(api.POST('/admin/projections/{name}/rebuild', { params: { path: { name } } })),
    onSuccess: () => {
      setRunning(true);
      void client.invalidateQueries({ queryKey: ['admin-projections'] });
    },
  });
  return (
    <>
      <Panel title="Status and rebuilds">
        <QueryState query={query} what="projections">
          {({ data }) => (
            <table>
              <thead>
                <tr>
                  <th>Read model</th>
                  <th className="num">Applied up to event #</th>
                  <th className="num">Behind</th>
                  <th className="num">Parked</th>
                  <th>Last rebuild</th>
                  <th>Action</th>
                </tr>
              </thead>
              <tbody>
                {data.map((p) => {
                  const job = jobs.find((j) => j.projection === p.name);
                  return (
                    <tr key={p.name} data-testid={`projection-${p.name}`}>
                      <td>
                        {p.name}
                        <div className="muted small">{READ_MODEL_HELP[p.name] ?? ''}</div>
                      </td>
                      <td className="num">{p.checkpoint?.position ?? '—'}</td>
                      <td className="num">{p.events_behind}</td>
                      <td className="num">{p.parked_events}</td>
                      <td data-testid="rebuild-state">{job ? <JobProgress job={job} /> : <span className="muted">none since the service started</span>}</td>
                      <td>
                        <button onClick={() => rebuild.mutate(p.name)} disabled={job?.state === 'running' || rebuild.isPending} aria-label={`Rebuild ${p.name}`}>
                          Rebuild
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </QueryState>
        {rebuild.isError && <ErrorBox error={rebuild.error} what="the rebuild" />}
      </Panel>
      <DeadLetters />
    </>
  );
}

function JobProgress({ job }: { job: RebuildJob }) {
  if (job.state === 'failed') return <Badge tone="bad">failed: {job.error}</Badge>;
  if (job.state === 'succeeded')
    return (
      <>
        <Badge tone="ok">rebuilt</Badge> <span className="small muted">finished <Time at={job.finished_at} /></span>
      </>
    );
  const p = job.progress;
  const percent = p && p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
  return (
    <span>
      <progress max={100} value={percent} aria-label={`rebuild of ${job.projection}`} /> {p ? `${p.done} / ${p.total} events (${p.phase})` : 'starting…'}
    </span>
  );
}

function DeadLetters() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['dead-letters'], queryFn: () => unwrap(api.GET('/admin/dead-letters', {})), refetchInterval: 10_000 });
  const groups = useMemo(() => {
    const byError = new Map<string, DeadLetter[]>();
    for (const d of query.data?.data ?? []) byError.set(d.error, [...(byError.get(d.error) ?? []), d]);
    return [...byError.entries()].sort((a, b) => b[1].length - a[1].length);
  }, [query.data]);
  const [outcome, setOutcome] = useState<string>('');
  const retry = useMutation({
    mutationFn: async (letters: DeadLetter[]) => {
      const results: string[] = [];
      for (const letter of letters) {
        const answer = await unwrap(api.POST('/admin/dead-letters/{id}/retry', { params: { path: { id: letter.id } } }));
        results.push(answer.outcome);
      }
      return results;
    },
    onSuccess: (results) => {
      const counts = results.reduce<Record<string, number>>((c, r) => ({ ...c, [r]: (c[r] ?? 0) + 1 }), {});
      setOutcome(`Retried ${results.length}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['dead-letters'] });
      void client.invalidateQueries({ queryKey: ['admin-projections'] });
    },
  });
  return (
    <Panel title="Parked events (dead letters)" help="Events a read model could not apply, grouped by the error. The read model went on without them; retry after the cause is fixed.">
      {outcome && (
        <p role="status" data-testid="retry-outcome">
          {outcome}
        </p>
      )}
      {retry.isError && <ErrorBox error={retry.error} what="the retry" />}
      <QueryState query={query} what="parked events">
        {() =>
          groups.length === 0 ? (
            <Empty>No parked event: every read model applied every event.</Empty>
          ) : (
            <div>
              {groups.map(([error, letters]) => (
                <DeadLetterGroup key={error} error={error} letters={letters} busy={retry.isPending} onRetry={(list) => retry.mutate(list)} />
              ))}
            </div>
          )
        }
      </QueryState>
    </Panel>
  );
}

function DeadLetterGroup({ error, letters, busy, onRetry }: { error: string; letters: DeadLetter[]; busy: boolean; onRetry: (letters: DeadLetter[]) => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="dead-group" data-testid="dead-letter-group">
      <h3>
        <Badge tone="bad">{letters.length}</Badge> {error}
      </h3>
      {confirming ? (
        <p className="confirm" role="alertdialog" aria-label="Confirm retry">
          Retry all {letters.length} parked events of this group?{' '}
          <button
            onClick={() => {
              setConfirming(false);
              onRetry(letters);
            }}
          >
            Yes, retry {letters.length}
          </button>{' '}
          <button onClick={() => setConfirming(false)}>Cancel</button>
        </p>
      ) : (
        <button onClick={() => setConfirming(true)} disabled={busy}>
          Retry all {letters.length}…
        </button>
      )}
      <table>
        <thead>
          <tr>
            <th>Read model</th>
            <th>Event</th>
            <th className="num">Position</th>
            <th className="num">Attempts</th>
            <th>Parked at</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {letters.map((d) => (
            <tr key={d.id}>
              <td>{d.projection}</td>
              <td>
                <Link to={`/events/${encodeURIComponent(d.event_id)}`}>{d.event_id}</Link>
              </td>
              <td className="num">{d.position}</td>
              <td className="num">{d.attempts}</td>
              <td>
                <Time at={d.parked_at} />
              </td>
              <td>
                <button onClick={() => onRetry([d])} disabled={busy}>
                  Retry
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
