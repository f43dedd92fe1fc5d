import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { PointsReport } from '../api/models';
import { useAccess } from '../auth/auth';
import { Badge, ErrorBox, Panel, Time } from '../components/ui';

/* The report page's closing of a month: closed (the report kept then), reopened, or open (docs/api.md, "Closing a month"). */

/** The month a period is, when it is exactly one calendar month (`YYYY-MM`), else null. */
export function calendarMonth(from: string, to: string): string | null {
  const start = new Date(from);
  const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const isMonth = start.getUTCDate() === 1 && start.getTime() % 86_400_000 === 0 && next.getTime() === Date.parse(to);
  return isMonth ? from.slice(0, 7) : null;
}

export function PeriodClosing({ report }: { report: PointsReport }) {
  const month = calendarMonth(report.from, report.to);
  if (!month) return null;
  const period = report.period;
  return (
    <Panel title={`Closing of ${month}`} help="A closed month keeps its report as it stood; later changes dated inside it are booked in the next open month.">
      {period?.status === 'closed' ? (
        <p data-testid="period-status">
          <Badge tone="ok">closed</Badge> on <Time at={period.closed_at} />: this is the report kept then, computed at log position {period.log_position}
          {period.chain_head ? (
            <>
              {' '}
              (chain head <code>{`${period.chain_head.position}:${period.chain_head.hash.slice(0, 16)}…`}</code>)
            </>
          ) : null}
          .
        </p>
      ) : period?.status === 'reopened' ? (
        <p data-testid="period-status">
          <Badge tone="warn">reopened</Badge> on <Time at={period.reopened_at} /> ({period.reopen_reason}): these are the live figures again.
        </p>
      ) : (
        <p data-testid="period-status">
          <Badge tone="info">open</Badge> the figures change as late webhooks and backfills dated inside it arrive.
        </p>
      )}
      {useAccess() === 'admin' ? <PeriodActions month={month} closed={period?.status === 'closed'} ended={Date.parse(report.to) <= Date.now()} /> : null}
    </Panel>
  );
}

function PeriodActions({ month, closed, ended }: { month: string; closed: boolean; ended: boolean }) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  /** After the operator event is stored: wait until the read models have applied it, then redraw the report. */
  const applied = async (answer: { position: number }) => {
    await unwrap(api.GET('/reports/periods', { params: { header: { 'x-min-position': String(answer.position) } } }));
    await client.invalidateQueries({ queryKey: ['report'] });
  };
  const close = useMutation({
    mutationFn: () => unwrap(api.POST('/admin/periods/{month}/close', { params: { path: { month } } })),
    onSuccess: applied,
  });
  const reopen = useMutation({
    mutationFn: () => unwrap(api.POST('/admin/periods/{month}/reopen', { params: { path: { month } }, body: { reason: reason.trim() } })),
    onSuccess: (answer) => applied(answer).then(() => setReason('')),
  });
  const submitReopen = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) reopen.mutate();
  };
  if (closed) {
    return (
      <form className="filters" onSubmit={submitReopen} aria-label={`Reopen ${month}`}>
        <label>
          Why reopen it (kept in the log)
          <input value={reason} onChange={(e) => setReason(e.target.value)} size={36} maxLength={500} />
        </label>
        <button type="submit" disabled={reopen.isPending || !reason.trim()}>
          Reopen {month}
        </button>
        {reopen.isError && <ErrorBox error={reopen.error} what="the reopening" />}
      </form>
    );
  }
  if (!ended) return <p className="muted">{month} can be closed once it is over.</p>;
  return (
    <p>
      <button onClick={() => close.mutate()} disabled={close.isPending}>
        Close {month}
      </button>
      {close.isError && <ErrorBox error={close.error} what="the closing" />}
    </p>
  );
}
