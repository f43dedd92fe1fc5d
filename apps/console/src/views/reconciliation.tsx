import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, unwrap } from '../api/client';
import type { CardDifference, ReconciliationCalls, ReconciliationPlan, ReconciliationReport, ReconciliationRun } from '../api/models';
import { useAccess } from '../auth/auth';
import { Badge, Empty, ErrorBox, Panel, Points, QueryState, Signed, Time } from '../components/ui';

const STATE_TONE: Record<string, 'ok' | 'warn' | 'bad' | 'info'> = {
  succeeded: 'ok',
  differences: 'warn',
  running: 'info',
  interrupted: 'warn',
  failed: 'bad',
};

/** The run's state, and for a finished run whether Voucherify and the ledger agree: "succeeded" alone would read as "all is well". */
function Outcome({ run }: { run: ReconciliationRun }) {
  const differing = run.summary.cards_differing;
  if (run.state === 'succeeded' && differing > 0) return <Badge tone="warn">{`finished: ${differing} ${differing === 1 ? 'card differs' : 'cards differ'}`}</Badge>;
  if (run.state === 'succeeded') return <Badge tone="ok">finished: all agree</Badge>;
  return <Badge tone={STATE_TONE[run.state] ?? 'info'}>{run.state}</Badge>;
}

/** What a 404 of these routes means: the service has no Voucherify credentials. */
function NotConfigured({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 404 && /not configured/i.test(error.message)) {
    return (
      <div className="state empty" role="status" data-testid="reconciliation-not-configured">
        Reconciliation is not configured on this service: set <code>VOUCHERIFY_APP_ID</code> and <code>VOUCHERIFY_SECRET_KEY</code> (see the README),
        then restart it.
      </div>
    );
  }
  return <ErrorBox error={error} what="reconciliations" />;
}

export function ReconciliationView() {
  const access = useAccess();
  return (
    <>
      <h1>Reconciliation</h1>
      <p className="lead">
        Compares each loyalty card with Voucherify&apos;s own API: its balance, and its transactions one by one. A transaction Voucherify has and the ledger
        does not means a webhook was lost; a backfill fetches it and adds it to the log (marked <code>reconciled</code>). Every call to Voucherify counts
        against the shop&apos;s plan (Business: 100 a minute), so a run shows what it will read and spend before it starts.
      </p>
      {access === 'admin' ? (
        <>
          <StartRun />
          <Runs />
        </>
      ) : (
        <Empty>Reconciliation calls Voucherify&apos;s API: sign in with the admin token to see and start runs.</Empty>
      )}
    </>
  );
}

function StartRun() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [campaigns, setCampaigns] = useState('');
  const [gapsOnly, setGapsOnly] = useState(false);
  const [backfill, setBackfill] = useState(false);
  const [since, setSince] = useState('');
  const [maxCalls, setMaxCalls] = useState('');
  const body = () => {
    const campaign_ids = campaigns
      .split(/[\s,]+/)
      .map((c) => c.trim())
      .filter(Boolean);
    const max = Number(maxCalls);
    return {
      ...(campaign_ids.length ? { campaign_ids } : {}),
      gaps_only: gapsOnly,
      backfill,
      ...(since ? { since: new Date(since).toISOString() } : {}),
      ...(maxCalls && Number.isInteger(max) && max > 0 ? { max_calls: max } : {}),
    };
  };
  // The plan first (it calls nothing), then the run: as a bulk retry asks before it spends.
  const plan = useMutation({ mutationFn: () => unwrap(api.POST('/admin/reconciliations/plan', { body: body() })) });
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/admin/reconciliations', { body: body() })),
    onSuccess: (run) => {
      void client.invalidateQueries({ queryKey: ['reconciliations'] });
      navigate(`/reconciliation/${run.id}`);
    },
  });
  const changed = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    plan.reset();
  };
  const review = (e: FormEvent) => {
    e.preventDefault();
    plan.mutate();
  };
  return (
    <Panel
      title="Start a run"
      help="A dry run only reports; a backfill also appends what is missing. A whole campaign is read through its exports (a few calls whatever its size); since a time, through its transactions list (1 call per 100); gaps only: the cards with open gaps."
    >
      <form className="filters" onSubmit={review} aria-label="Start a reconciliation">
        <label>
          Campaign ids (optional, comma-separated)
          <input value={campaigns} onChange={(e) => changed(setCampaigns)(e.target.value)} placeholder="all the ledger knows" size={28} />
        </label>
        <label>
          Since (optional)
          <input type="datetime-local" value={since} onChange={(e) => changed(setSince)(e.target.value)} />
        </label>
        <label>
          Budget of calls (optional)
          <input inputMode="numeric" value={maxCalls} onChange={(e) => changed(setMaxCalls)(e.target.value)} placeholder="RECONCILE_MAX_CALLS" size={12} />
        </label>
        <label className="check">
          <input type="checkbox" checked={gapsOnly} onChange={(e) => changed(setGapsOnly)(e.target.checked)} /> Only cards with open gaps
        </label>
        <label className="check">
          <input type="checkbox" checked={backfill} onChange={(e) => changed(setBackfill)(e.target.checked)} /> Backfill what is missing
        </label>
        <button type="submit" disabled={plan.isPending}>
          Review plan
        </button>
      </form>
      {plan.isError && <NotConfigured error={plan.error} />}
      {plan.data && (
        <PlanSummary plan={plan.data}>
          {plan.data.within_budget ? (
            <button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
              {backfill ? 'Start backfill' : 'Start dry run'}
            </button>
          ) : (
            <button
              type="button"
              onClick={() => {
                setMaxCalls(String(plan.data!.estimated_calls));
                plan.reset();
              }}
            >
              Raise the budget to {plan.data.estimated_calls} calls
            </button>
          )}
        </PlanSummary>
      )}
      {start.isError && <NotConfigured error={start.error} />}
    </Panel>
  );
}

const SOURCE: Record<string, string> = {
  cards: 'each card on its own (2 calls a card)',
  transactions_list: "the campaign's transactions list (1 call per 100)",
  exports: "the campaign's transactions and vouchers exports",
};

/** What a run reads per campaign, the calls and time it needs, against its budget. */
function PlanSummary({ plan, children }: { plan: ReconciliationPlan; children?: ReactNode }) {
  return (
    <div className="plan" data-testid="plan">
      <p data-testid="plan-total">
        About <strong>{plan.estimated_calls}</strong> call{plan.estimated_calls === 1 ? '' : 's'} to Voucherify for the reads ({plan.estimated_seconds < 1 ? 'under a second' : `about ${plan.estimated_seconds} s`} at{' '}
        {plan.calls_per_minute} a minute), of a budget of {plan.max_calls}.{' '}
        {plan.within_budget ? <Badge tone="ok">within budget</Badge> : <Badge tone="bad">over budget</Badge>}
      </p>
      <table>
        <thead>
          <tr>
            <th>Campaign</th>
            <th>Reads</th>
            <th className="num">Cards</th>
            <th className="num">Transactions in the ledger</th>
            <th className="num">Calls</th>
          </tr>
        </thead>
        <tbody>
          {plan.campaigns.map((c) => (
            <tr key={c.campaign_id} data-testid={`plan-${c.campaign_id}`}>
              <td>{c.campaign_id}</td>
              <td>
                {SOURCE[c.source] ?? c.source}
                {c.since && <div className="muted small">since {c.since}</div>}
              </td>
              <td className="num">{c.cards}</td>
              <td className="num">{c.transactions_in_ledger}</td>
              <td className="num">{c.estimated_calls}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {children}
    </div>
  );
}

/** Calls spent against the budget, and by endpoint. */
function CallsSpent({ calls, plan }: { calls?: ReconciliationCalls; plan?: ReconciliationPlan }) {
  if (!calls) return <>none yet{plan ? ` (planned: about ${plan.estimated_calls})` : ''}</>;
  return (
    <>
      <span data-testid="run-calls">
        {calls.spent} of {calls.max_calls}
      </span>{' '}
      ({Math.max(0, calls.max_calls - calls.spent)} left{plan ? `; planned about ${plan.estimated_calls}` : ''})
      <ul className="muted small">
        {Object.entries(calls.by_endpoint).map(([endpoint, n]) => (
          <li key={endpoint}>
            {endpoint}: {n}
          </li>
        ))}
      </ul>
    </>
  );
}

function Runs() {
  const query = useQuery({
    queryKey: ['reconciliations'],
    queryFn: () => unwrap(api.GET('/admin/reconciliations', {})),
    refetchInterval: (q) => (q.state.data?.data.some((r) => r.state === 'running') ? 1000 : 10_000),
    retry: false,
  });
  if (query.isError) return <NotConfigured error={query.error} />;
  return (
    <Panel title="Runs (newest first)" wide>
      <QueryState query={query} what="reconciliations">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No run yet. Start one above, or schedule them with RECONCILE_EVERY_MINUTES.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Started</th>
                  <th>State</th>
                  <th>What</th>
                  <th className="num">Cards checked</th>
                  <th className="num">Cards differing</th>
                  <th className="num">Missing here</th>
                  <th className="num">Backfilled</th>
                  <th className="num">Points unexplained</th>
                  <th className="num">Calls</th>
                </tr>
              </thead>
              <tbody>
                {data.map((run) => (
                  <tr key={run.id} data-testid={`run-${run.id}`}>
                    <td>
                      <Link to={`/reconciliation/${run.id}`}>
                        <Time at={run.started_at} />
                      </Link>
                      <div className="muted small">by {run.trigger}</div>
                    </td>
                    <td>
                      <Outcome run={run} />
                    </td>
                    <td>{describeOptions(run)}</td>
                    <td className="num">{run.summary.cards_checked}</td>
                    <td className="num">{run.summary.cards_differing}</td>
                    <td className="num">{run.summary.transactions_missing}</td>
                    <td className="num">{run.summary.transactions_backfilled}</td>
                    <td className="num">
                      <Points value={run.summary.points_unexplained} />
                    </td>
                    <td className="num">{run.calls ? `${run.calls.spent} of ${run.calls.max_calls}` : '–'}</td>
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

function describeOptions(run: ReconciliationRun): string {
  const o = run.options;
  const scope = o.campaign_ids.length ? `campaigns ${o.campaign_ids.join(', ')}` : 'every campaign';
  return `${o.backfill ? 'backfill' : 'dry run'}, ${scope}${o.gaps_only ? ', gaps only' : ''}${o.since ? `, since ${o.since.slice(0, 10)}` : ''}`;
}

export function ReconciliationRunView() {
  const { runId = '' } = useParams();
  const query = useQuery({
    queryKey: ['reconciliation', runId],
    queryFn: () => unwrap(api.GET('/admin/reconciliations/{id}', { params: { path: { id: runId } } })),
    refetchInterval: (q) => (q.state.data?.state === 'running' ? 1000 : false),
    retry: false,
  });
  return (
    <>
      <h1>
        Reconciliation run <code>{runId.slice(0, 8)}</code>
      </h1>
      <p>
        <Link to="/reconciliation">← All runs</Link>
      </p>
      {query.isError ? (
        <NotConfigured error={query.error} />
      ) : (
        <QueryState query={query} what="the run">
          {(run) => <RunReport run={run} />}
        </QueryState>
      )}
    </>
  );
}

function RunReport({ run }: { run: ReconciliationReport }) {
  const s = run.summary;
  return (
    <div className="grid">
      <Panel title="Summary">
        <dl className="facts">
          <dt>State</dt>
          <dd data-testid="run-state">
            <Outcome run={run} />
            {run.error && <div className="negative">{run.error}</div>}
          </dd>
          <dt>What</dt>
          <dd>{describeOptions(run)}</dd>
          <dt>Started</dt>
          <dd>
            <Time at={run.started_at} /> by {run.trigger} ({run.holder})
          </dd>
          <dt>Finished</dt>
          <dd>{run.finished_at ? <Time at={run.finished_at} /> : `running: ${run.progress.cards_checked} of ${run.progress.cards_total ?? '?'} cards`}</dd>
          <dt>Cards checked</dt>
          <dd data-testid="run-cards-checked">{s.cards_checked}</dd>
          <dt>Cards differing</dt>
          <dd data-testid="run-cards-differing">{s.cards_differing}</dd>
          <dt>Transactions missing here</dt>
          <dd>
            {s.transactions_missing} ({s.transactions_backfilled} backfilled)
          </dd>
          <dt>Unknown to Voucherify</dt>
          <dd>{s.transactions_unknown}</dd>
          <dt>Different points</dt>
          <dd>{s.transactions_different}</dd>
          <dt>Points unexplained</dt>
          <dd>
            <Points value={s.points_unexplained} />
          </dd>
          <dt>Cards not checked</dt>
          <dd>{s.cards_failed}</dd>
          <dt>Voucherify calls</dt>
          <dd>
            <CallsSpent calls={run.calls} plan={run.plan} />
          </dd>
        </dl>
      </Panel>
      {run.plan && (
        <Panel title="Plan" help="What the run decided to read before its first call.">
          <PlanSummary plan={run.plan} />
        </Panel>
      )}
      <Panel title="Cards that differ" wide help="Per card: Voucherify's balance against the ledger's, and the transactions found on one side only or with different points.">
        {run.cards.length === 0 ? <Empty>No card differs from Voucherify.</Empty> : <CardDifferences cards={run.cards} />}
      </Panel>
    </div>
  );
}

function CardDifferences({ cards }: { cards: CardDifference[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Card</th>
          <th className="num">Voucherify balance</th>
          <th className="num">Ledger balance</th>
          <th>Missing here</th>
          <th>Unknown to Voucherify</th>
          <th>Different points</th>
          <th>Now</th>
        </tr>
      </thead>
      <tbody>
        {cards.map((c) => (
          <tr key={`${c.campaign_id}/${c.card_id}`} data-testid={`difference-${c.card_id}`}>
            <td>
              {c.code ?? c.card_id}
              <div className="muted small">
                {c.card_id} · {c.campaign_id}
              </div>
            </td>
            <td className="num">
              <Points value={c.voucherify_balance} />
            </td>
            <td className="num">
              <Points value={c.ledger_balance} />
            </td>
            <td>
              {c.missing_here.map((t) => (
                <div key={t.transaction_id}>
                  {t.transaction_id} <Signed value={t.points} /> {t.backfilled && <Badge tone="ok">backfilled</Badge>}
                </div>
              ))}
            </td>
            <td>
              {c.unknown_to_voucherify.map((t) => (
                <div key={t.transaction_id}>
                  {t.transaction_id} <Signed value={t.points} />
                </div>
              ))}
            </td>
            <td>
              {c.different_points.map((t) => (
                <div key={t.transaction_id}>
                  {t.transaction_id}: Voucherify <Signed value={t.voucherify_points} />, ledger <Signed value={t.ledger_points} />
                </div>
              ))}
            </td>
            <td>
              {c.resolved ? <Badge tone="ok">resolved</Badge> : <Badge tone="warn">differs</Badge>}
              {c.explanation && <div className="muted small">{c.explanation}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
