import type { Pool } from 'pg';
import type {
  CardDifferenceDto,
  ReconciliationOptionsDto,
  ReconciliationCallsDto,
  ReconciliationPlanDto,
  ReconciliationProgressDto,
  ReconciliationReportDto,
  ReconciliationRunDto,
  ReconciliationSummaryDto,
  RunState,
  RunTrigger,
} from './reconciliation.dto';

/** Cards listed in one report; the summary still counts every one. Bounds the row's size. */
export const MAX_LISTED_CARDS = 1000;

/** Finished runs are deleted after this many days, except the newest KEPT_RUNS_ANY_AGE. */
export const KEPT_RUN_DAYS = 90;
const KEPT_RUNS_ANY_AGE = 100;

/** Where a campaign stands in a run: done, or the last card checked (cards go in id order). */
export type CampaignCursor = { done: true } | { done: false; after: string | null };

export interface StoredRun {
  run: ReconciliationReportDto;
  campaignIds: string[];
  cursors: Record<string, CampaignCursor>;
}

export const emptySummary = (): ReconciliationSummaryDto => ({
  cards_checked: 0,
  cards_differing: 0,
  transactions_missing: 0,
  transactions_unknown: 0,
  transactions_different: 0,
  points_unexplained: 0,
  transactions_backfilled: 0,
  cards_failed: 0,
});

const RUN_COLUMNS = `id, state, trigger, options, campaign_ids, holder, started_at, updated_at, finished_at, resumed, progress, summary, error, plan, calls`;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v));

function toRun(row: Record<string, any>): ReconciliationRunDto {
  return {
    id: row.id,
    state: row.state,
    trigger: row.trigger,
    options: row.options,
    holder: row.holder,
    started_at: iso(row.started_at)!,
    updated_at: iso(row.updated_at)!,
    finished_at: iso(row.finished_at),
    resumed: row.resumed,
    progress: row.progress,
    summary: row.summary,
    error: row.error,
    ...(row.plan ? { plan: row.plan } : {}),
    ...(row.calls ? { calls: row.calls } : {}),
  };
}

/** The table of runs and their reports (reconciliation_runs). */
export class ReconciliationRuns {
  constructor(private readonly pool: Pool) {}

  async create(input: {
    id: string;
    trigger: RunTrigger;
    options: ReconciliationOptionsDto;
    campaignIds: string[];
    holder: string;
    plan: ReconciliationPlanDto;
  }): Promise<StoredRun> {
    const progress: ReconciliationProgressDto = {
      campaigns_total: input.campaignIds.length,
      campaigns_done: 0,
      current_campaign_id: null,
      cards_total: null,
      cards_checked: 0,
    };
    await this.pool.query(
      `INSERT INTO reconciliation_runs (id, state, trigger, options, campaign_ids, holder, progress, summary, plan)
       VALUES ($1, 'running', $2, $3, $4, $5, $6, $7, $8)`,
      [input.id, input.trigger, JSON.stringify(input.options), input.campaignIds, input.holder, JSON.stringify(progress), JSON.stringify(emptySummary()), JSON.stringify(input.plan)],
    );
    return (await this.find(input.id))!;
  }

  async find(id: string): Promise<StoredRun | null> {
    const { rows } = await this.pool.query(`SELECT ${RUN_COLUMNS}, cards, cards_truncated, cursors FROM reconciliation_runs WHERE id = $1`, [id]);
    if (rows.length === 0) return null;
    const row = rows[0];
    return { run: { ...toRun(row), cards: row.cards, cards_truncated: row.cards_truncated }, campaignIds: row.campaign_ids, cursors: row.cursors };
  }

  /** Newest first; the cursor is the last run's `started_at|id`. */
  async list(limit: number, cursor?: { startedAt: string; id: string }): Promise<{ data: ReconciliationRunDto[]; next_cursor: string | null }> {
    const { rows } = await this.pool.query(
      `SELECT ${RUN_COLUMNS} FROM reconciliation_runs
        WHERE $2::timestamptz IS NULL OR (started_at, id) < ($2::timestamptz, $3::uuid)
        ORDER BY started_at DESC, id DESC LIMIT $1`,
      [limit + 1, cursor?.startedAt ?? null, cursor?.id ?? null],
    );
    const page = rows.slice(0, limit).map(toRun);
    const last = rows.length > limit ? rows[limit - 1] : null;
    return { data: page, next_cursor: last ? `${iso(last.started_at)}|${last.id}` : null };
  }

  /**
   * Runs left `running` on these campaigns by a process that died (the caller holds every
   * campaign's lock, so no live process runs them) become `interrupted`.
   */
  async markOrphansInterrupted(campaignIds: string[]): Promise<void> {
    await this.pool.query(
      `UPDATE reconciliation_runs SET state = 'interrupted', updated_at = now() WHERE state = 'running' AND campaign_ids && $1::text[]`,
      [campaignIds],
    );
  }

  /** The interrupted run with these very options and campaigns, to take up again (whatever its budget: raising it is how one goes on). */
  async findResumable(options: ReconciliationOptionsDto, campaignIds: string[]): Promise<StoredRun | null> {
    const { rows } = await this.pool.query(
      `SELECT id FROM reconciliation_runs
        WHERE state = 'interrupted' AND (options - 'max_calls') = ($1::jsonb - 'max_calls') AND campaign_ids = $2::text[]
        ORDER BY started_at DESC LIMIT 1`,
      [JSON.stringify(options), campaignIds],
    );
    return rows.length ? this.find(rows[0].id) : null;
  }

  /** Takes an interrupted run up again, with the plan made for what is left of it. */
  async resume(id: string, holder: string, plan: ReconciliationPlanDto): Promise<void> {
    await this.pool.query(
      `UPDATE reconciliation_runs SET state = 'running', holder = $2, resumed = resumed + 1, updated_at = now(), error = NULL, plan = $3 WHERE id = $1`,
      [id, holder, JSON.stringify(plan)],
    );
  }

  /** The running run holding a campaign, to say who holds it. */
  async holderOf(campaignId: string): Promise<ReconciliationRunDto | null> {
    const { rows } = await this.pool.query(
      `SELECT ${RUN_COLUMNS} FROM reconciliation_runs WHERE state = 'running' AND $1 = ANY(campaign_ids) ORDER BY started_at DESC LIMIT 1`,
      [campaignId],
    );
    return rows.length ? toRun(rows[0]) : null;
  }

  /** Progress and the report so far, with the campaign's cursor, in one statement. */
  async save(stored: StoredRun): Promise<void> {
    const { run } = stored;
    await this.pool.query(
      `UPDATE reconciliation_runs
          SET progress = $2, summary = $3, cards = $4, cards_truncated = $5, cursors = $6, calls = $7, updated_at = now()
        WHERE id = $1`,
      [run.id, JSON.stringify(run.progress), JSON.stringify(run.summary), JSON.stringify(run.cards), run.cards_truncated, JSON.stringify(stored.cursors), run.calls ? JSON.stringify(run.calls) : null],
    );
  }

  /** Ends a run with the calls it spent (kept even when it failed: they were spent all the same). */
  async finish(id: string, state: Exclude<RunState, 'running'>, error: string | null, calls: ReconciliationCallsDto | null): Promise<void> {
    await this.pool.query(
      `UPDATE reconciliation_runs SET state = $2, error = $3, calls = COALESCE($4, calls), updated_at = now(),
              finished_at = CASE WHEN $2 = 'interrupted' THEN NULL ELSE now() END WHERE id = $1`,
      [id, state, error, calls === null ? null : JSON.stringify(calls)],
    );
    // Reports are kept for a while, not for ever: a scheduled run every few minutes would grow
    // the table without bound. The newest finished runs stay whatever their age.
    await this.pool.query(
      `DELETE FROM reconciliation_runs WHERE finished_at < now() - make_interval(days => $1)
          AND id NOT IN (SELECT id FROM reconciliation_runs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT $2)`,
      [KEPT_RUN_DAYS, KEPT_RUNS_ANY_AGE],
    );
  }

  /** When the newest successful run of this trigger began (the scheduled run reads from there). */
  async lastSucceededStart(trigger: RunTrigger): Promise<string | null> {
    const { rows } = await this.pool.query(`SELECT started_at FROM reconciliation_runs WHERE state = 'succeeded' AND trigger = $1 ORDER BY started_at DESC LIMIT 1`, [trigger]);
    return rows.length ? iso(rows[0].started_at) : null;
  }

  /** The last finished run's differences, for the metrics. */
  async lastFinishedSummary(): Promise<ReconciliationSummaryDto | null> {
    const { rows } = await this.pool.query(`SELECT summary FROM reconciliation_runs WHERE state = 'succeeded' ORDER BY finished_at DESC LIMIT 1`);
    return rows.length ? rows[0].summary : null;
  }
}

/** Adds a card to the report, within the bound. */
export function recordCard(run: ReconciliationReportDto, card: CardDifferenceDto): void {
  const existing = run.cards.findIndex((c) => c.card_id === card.card_id && c.campaign_id === card.campaign_id);
  if (existing >= 0) run.cards[existing] = card;
  else if (run.cards.length < MAX_LISTED_CARDS) run.cards.push(card);
  else run.cards_truncated = true;
}
