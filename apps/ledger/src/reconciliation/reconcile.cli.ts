import type { Pool } from 'pg';
import type { ReconciliationPlanDto, ReconciliationReportDto } from './reconciliation.dto';
import type { LedgerConfig } from '../config/ledger-config';
import { ReconcileRequest, Reconciler } from './reconciler';
import { reconcilerDepsFrom, voucherifyApiFrom } from './reconciliation.service';
import { openCliIngest } from '../ingest/cli-ingest';

/**
 * `ledger reconcile`: one run in this process, through the same Reconciler and ingest use case
 * as the service. SIGINT / SIGTERM interrupt it between cards; the same command resumes it.
 */
export async function reconcile(pool: Pool, config: LedgerConfig, request: ReconcileRequest, signal: AbortSignal): Promise<ReconciliationReportDto> {
  voucherifyApiFrom(config, signal); // says "not configured" before touching anything
  const ingest = await openCliIngest(config, pool);
  try {
    const reconciler = new Reconciler(reconcilerDepsFrom(config, pool, (rawBody) => ingest.ingest(rawBody, { kind: 'reconciliation' }), signal, request.maxCalls));
    const plan = await reconciler.plan(request);
    process.stderr.write(`${formatPlan(plan)}\n`);
    const started = await reconciler.start(request, 'cli');
    if (started.stored.run.resumed > 0) process.stderr.write(`resuming interrupted run ${started.stored.run.id}\n`);
    return await reconciler.run(started, signal);
  } finally {
    await ingest.close();
  }
}

const cell = (value: unknown, width: number) => {
  const text = value === null || value === undefined ? '-' : String(value);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
};

/** The plan in a few lines: what each campaign reads, the calls and the time, against the budget. */
export function formatPlan(plan: ReconciliationPlanDto): string {
  const lines = plan.campaigns.map(
    (c) => `  ${c.campaign_id}: ${c.source}${c.since ? ` since ${c.since}` : ''}, ${c.cards} card(s), ${c.transactions_in_ledger} transaction(s) in the ledger, about ${c.estimated_calls} call(s)`,
  );
  return [
    `plan: about ${plan.estimated_calls} Voucherify call(s) for the reads, ~${plan.estimated_seconds} s at ${plan.calls_per_minute} calls a minute; budget ${plan.max_calls}${plan.within_budget ? '' : ' (OVER BUDGET)'}`,
    ...lines,
  ].join('\n');
}

/** The short table: the run, its summary, and the cards that differed. */
export function formatReport(report: ReconciliationReportDto): string {
  const s = report.summary;
  const lines = [
    `reconciliation ${report.id}: ${report.state}${report.resumed ? ` (resumed ${report.resumed}x)` : ''}`,
    `Voucherify calls spent ${report.calls?.spent ?? 0} of ${report.calls?.max_calls ?? report.options.max_calls}`,
    `cards checked ${s.cards_checked}, differing ${s.cards_differing}, failed ${s.cards_failed}; transactions missing ${s.transactions_missing}, unknown to Voucherify ${s.transactions_unknown}, different ${s.transactions_different}, backfilled ${s.transactions_backfilled}; points unexplained ${s.points_unexplained}`,
  ];
  if (report.cards.length > 0) {
    lines.push('');
    lines.push(
      [cell('CAMPAIGN', 16), cell('CARD', 24), cell('VOUCHERIFY', 10), cell('LEDGER', 10), cell('MISSING', 7), cell('UNKNOWN', 7), cell('DIFF', 5), cell('POINTS', 8), cell('STATUS', 8), 'WHY'].join(' '),
    );
    for (const c of report.cards) {
      lines.push(
        [
          cell(c.campaign_id, 16),
          cell(c.card_id, 24),
          cell(c.voucherify_balance, 10),
          cell(c.ledger_balance, 10),
          cell(c.missing_here.length, 7),
          cell(c.unknown_to_voucherify.length, 7),
          cell(c.different_points.length, 5),
          cell(c.points_unexplained, 8),
          cell(c.resolved ? 'fixed' : 'differs', 8),
          c.explanation ?? '',
        ].join(' '),
      );
    }
    if (report.cards_truncated) lines.push(`(more cards differed than are listed; the summary counts them all)`);
  }
  return `${lines.join('\n')}\n`;
}
