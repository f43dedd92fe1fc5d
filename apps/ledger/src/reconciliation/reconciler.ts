import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { haveApplied } from '@ledger/event-store';
import { campaignInLedger, campaignsWithCards, campaignsWithGaps, cardsByIdOrCode, cardsOfCampaign, cardsWithGaps, transactionsSince } from '@ledger/projections';
import type { CampaignPlanDto, ReconciliationCallsDto, ReconciliationOptionsDto, ReconciliationPlanDto, ReconciliationReportDto, RunTrigger } from './reconciliation.dto';
import type { IngestResult } from '../ingest/ingest-result';
import { backfillBody } from './backfill-event';
import { HeldLocks, lockCampaigns } from './campaign-locks';
import { CardOutcome, CardResult, cardResult, compareTransactions, failedCard } from './compare-card';
import { planCampaign, planRun } from './reconcile-plan';
import { ReconciliationRuns, recordCard, StoredRun } from './reconciliation-runs';
import { VoucherifyApi, VoucherifyAuthError } from './voucherify-api';
import { CardView, readCampaign, readCard } from './voucherify-view';

/** The read models a backfilled transaction must reach before the card is compared again. */
const BACKFILL_PROJECTIONS = ['ledger', 'loyalty_cards'];

export interface ReconcileRequest {
  campaignIds: string[];
  /** Cards by voucher id or code. */
  cardIds: string[];
  gapsOnly: boolean;
  since: string | null;
  backfill: boolean;
  /** The run's budget of calls; default RECONCILE_MAX_CALLS. */
  maxCalls?: number;
}

/** A problem with the request itself (unknown card, nothing to reconcile): said in one line. */
export class ReconcileRequestError extends Error {
  name = 'ReconcileRequestError';
}

/** Another run holds a campaign: says which, where and since when. */
export class ReconcileLockedError extends Error {
  name = 'ReconcileLockedError';
  constructor(
    readonly campaignId: string,
    readonly holderRun: { id: string; holder: string; started_at: string } | null,
  ) {
    super(
      holderRun
        ? `campaign ${campaignId} is being reconciled by run ${holderRun.id} (${holderRun.holder}, since ${holderRun.started_at}); try again when it ends`
        : `campaign ${campaignId} is being reconciled by another process; try again when it ends`,
    );
  }
}

/** The plan needs more calls than the budget allows: refused before any call, with its estimate. */
export class ReconcileOverBudgetError extends Error {
  name = 'ReconcileOverBudgetError';
  constructor(readonly plan: ReconciliationPlanDto) {
    super(
      `the plan needs about ${plan.estimated_calls} Voucherify calls (${plan.campaigns.map((c) => `${c.campaign_id}: ${c.source}, ${c.estimated_calls}`).join('; ')}), ` +
        `more than the budget of ${plan.max_calls}; raise it with --max-calls ${plan.estimated_calls} (or max_calls) to go on`,
    );
  }
}

export class ReconcileInterruptedError extends Error {
  name = 'ReconcileInterruptedError';
  constructor(readonly runId: string) {
    super(`reconciliation ${runId} interrupted; run the same command again to resume it`);
  }
}

export interface ReconcilerDeps {
  pool: Pool;
  api: VoucherifyApi;
  /** The ingest use case, for a backfilled transaction (source `reconciled`). */
  ingest: (rawBody: Buffer) => Promise<IngestResult>;
  /** Cards checked at once when they are read one by one. */
  concurrency: number;
  /** The pace and the default budget of a run (VOUCHERIFY_CALLS_PER_MINUTE, RECONCILE_MAX_CALLS). */
  callsPerMinute: number;
  maxCalls: number;
  exportPollMs: number;
  /** Longest wait for the projections to apply what a backfill appended. */
  projectionWaitMs?: number;
  holder?: string;
}

/** A run with its campaigns locked, ready to go (or to resume). */
export interface StartedRun {
  stored: StoredRun;
  locks: HeldLocks;
}

/** Cards compared, backfilled and saved together: the cursor moves past a chunk once all of it is recorded. */
const CHUNK = 200;

const optionsOf = (r: ReconcileRequest, defaultMaxCalls: number): ReconciliationOptionsDto => ({
  campaign_ids: [...new Set(r.campaignIds)].sort(),
  card_ids: [...new Set(r.cardIds)].sort(),
  gaps_only: r.gapsOnly,
  since: r.since,
  backfill: r.backfill,
  max_calls: r.maxCalls ?? defaultMaxCalls,
});

/**
 * Compares the ledger with Voucherify's API, within a budget of calls the shop sets: a campaign is
 * read at once (its transactions list down to `--since`, or its exports), and a card on its own
 * (by code) only when asked for, when it has an open gap and few do, or when the campaign's read
 * cannot settle its balance. Then card by card: the balance, and the transactions by id (missing
 * here, unknown to Voucherify, different points). With backfill, a missing transaction is
 * appended through the ingest use case as the webhook Voucherify did not deliver. Before its first
 * call a run states its plan; a plan over the budget is refused. Runs are kept
 * (reconciliation_runs), go card by card in id order with a cursor per campaign, and resume where
 * an interrupted run of the same options stopped. One run per campaign at a time.
 */
export class Reconciler {
  readonly runs: ReconciliationRuns;
  private readonly holder: string;

  constructor(private readonly deps: ReconcilerDeps) {
    this.runs = new ReconciliationRuns(deps.pool);
    this.holder = deps.holder ?? `${hostname()}:${process.pid}`;
  }

  /** What a run of these options would read and spend, from the ledger alone: no call is made. */
  async plan(request: ReconcileRequest): Promise<ReconciliationPlanDto> {
    const options = optionsOf(request, this.deps.maxCalls);
    return this.planFor(options, await this.campaignsOf(options), {});
  }

  private async planFor(options: ReconciliationOptionsDto, campaignIds: string[], cursors: StoredRun['cursors']): Promise<ReconciliationPlanDto> {
    const campaigns = [];
    for (const campaignId of campaignIds) {
      if (cursors[campaignId]?.done) continue;
      const [cardsToCall, cards, transactionsInWindow] = await Promise.all([
        options.card_ids.length > 0 ? this.namedCards(options, campaignId).then((c) => c.length) : options.gaps_only ? cardsWithGaps(this.deps.pool, campaignId).then((c) => c.length) : 0,
        cardsOfCampaign(this.deps.pool, campaignId).then((c) => c.length),
        transactionsSince(this.deps.pool, campaignId, options.since),
      ]);
      campaigns.push(planCampaign(options, { campaignId, cardsToCall, cards, transactionsInWindow }));
    }
    return planRun(campaigns, { maxCalls: options.max_calls, callsPerMinute: this.deps.callsPerMinute, exportPollMs: this.deps.exportPollMs });
  }

  /** Plans, refuses a plan over the budget, locks the campaigns and creates the run (or takes up the interrupted one of the same options). */
  async start(request: ReconcileRequest, trigger: RunTrigger): Promise<StartedRun> {
    const options = optionsOf(request, this.deps.maxCalls);
    const campaignIds = await this.campaignsOf(options);
    const locks = await lockCampaigns(this.deps.pool, campaignIds);
    if ('heldBy' in locks) throw new ReconcileLockedError(locks.heldBy, await this.runs.holderOf(locks.heldBy));
    try {
      await this.runs.markOrphansInterrupted(campaignIds);
      const resumable = await this.runs.findResumable(options, campaignIds);
      const plan = await this.planFor(options, campaignIds, resumable?.cursors ?? {});
      if (!plan.within_budget) throw new ReconcileOverBudgetError(plan);
      if (resumable) {
        await this.runs.resume(resumable.run.id, this.holder, plan);
        return { stored: (await this.runs.find(resumable.run.id))!, locks };
      }
      const stored = await this.runs.create({ id: randomUUID(), trigger, options, campaignIds, holder: this.holder, plan });
      return { stored, locks };
    } catch (error) {
      await locks.release();
      throw error;
    }
  }

  /** Runs a started run to its end (or its interruption), then frees its campaigns. */
  async run(started: StartedRun, signal?: AbortSignal): Promise<ReconciliationReportDto> {
    const { stored } = started;
    const id = stored.run.id;
    const spentBefore = stored.run.calls?.spent ?? 0;
    const byEndpointBefore = stored.run.calls?.by_endpoint ?? {};
    const http = this.deps.api.http;
    // A resumed run goes on counting from what it had spent.
    const calls = (): ReconciliationCallsDto => {
      const by_endpoint = { ...byEndpointBefore };
      for (const [endpoint, n] of Object.entries(http.spent)) by_endpoint[endpoint] = (by_endpoint[endpoint] ?? 0) + n;
      return { spent: spentBefore + http.callsSent, max_calls: stored.run.options.max_calls, by_endpoint };
    };
    try {
      const plans = new Map((stored.run.plan?.campaigns ?? []).map((p) => [p.campaign_id, p]));
      for (const campaignId of stored.campaignIds) {
        const cursor = stored.cursors[campaignId] ?? { done: false, after: null };
        if (cursor.done) continue;
        const plan = plans.get(campaignId);
        if (!plan) throw new Error(`the run has no plan for campaign ${campaignId}`);
        await this.reconcileCampaign(stored, plan, cursor.after, calls, signal);
        stored.cursors[campaignId] = { done: true };
        stored.run.progress.campaigns_done++;
        stored.run.progress.current_campaign_id = null;
        stored.run.progress.cards_total = null;
        stored.run.calls = calls();
        await this.runs.save(stored);
      }
      await this.runs.finish(id, 'succeeded', null, calls());
    } catch (error) {
      if (signal?.aborted) {
        await this.runs.finish(id, 'interrupted', null, calls()).catch(() => undefined);
        throw new ReconcileInterruptedError(id);
      }
      await this.runs.finish(id, 'failed', (error as Error).message, calls()).catch(() => undefined);
      throw error;
    } finally {
      await started.locks.release();
    }
    return (await this.runs.find(id))!.run;
  }

  /** Campaigns named, else those of the cards named, else every campaign the ledger knows. */
  private async campaignsOf(options: ReconciliationOptionsDto): Promise<string[]> {
    if (options.campaign_ids.length > 0) return options.campaign_ids;
    if (options.card_ids.length > 0) {
      const known = await cardsByIdOrCode(this.deps.pool, options.card_ids);
      const unknown = options.card_ids.filter((asked) => !known.some((k) => k.asked === asked && k.campaign_id));
      if (unknown.length > 0) {
        throw new ReconcileRequestError(`the ledger does not know the campaign of card ${unknown.slice(0, 5).join(', ')}; name it with --campaign`);
      }
      return [...new Set(known.map((k) => k.campaign_id!))].sort();
    }
    return options.gaps_only ? campaignsWithGaps(this.deps.pool) : campaignsWithCards(this.deps.pool);
  }

  /**
   * The cards named that belong to this campaign, with the code a member call needs. A card the
   * ledger knows goes to its campaign; one it does not know is taken as a code, in every campaign named.
   */
  private async namedCards(options: ReconciliationOptionsDto, campaignId: string): Promise<{ id: string; code: string }[]> {
    const known = await cardsByIdOrCode(this.deps.pool, options.card_ids);
    return options.card_ids.flatMap((asked) => {
      const card = known.find((k) => k.asked === asked);
      if (!card) return [{ id: asked, code: asked }];
      if ((card.campaign_id ?? campaignId) !== campaignId) return [];
      return card.code ? [{ id: card.voucher_id, code: card.code }] : [];
    });
  }

  private async reconcileCampaign(
    stored: StoredRun,
    plan: CampaignPlanDto,
    after: string | null,
    calls: () => ReconciliationCallsDto,
    signal?: AbortSignal,
  ): Promise<void> {
    const { run } = stored;
    const campaignId = plan.campaign_id;
    run.progress.current_campaign_id = campaignId;
    await this.runs.save(stored);
    let cards: { id: string; code: string | null }[];
    let views: Map<string, CardView> | null = null;
    if (plan.source === 'cards') {
      cards =
        run.options.card_ids.length > 0
          ? await this.namedCards(run.options, campaignId)
          : [...(await campaignInLedger(this.deps.pool, campaignId, await cardsWithGaps(this.deps.pool, campaignId))).values()].map((c) => ({ id: c.voucher_id, code: c.code }));
    } else {
      views = await readCampaign(this.deps.api, plan, await campaignInLedger(this.deps.pool, campaignId));
      cards = [...views.keys()].map((id) => ({ id, code: views!.get(id)!.card?.code ?? null }));
    }
    cards = [...new Map(cards.map((c) => [c.id, c])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const todo = after === null ? cards : cards.filter((c) => c.id > after);
    run.progress.cards_total = cards.length;
    await this.runs.save(stored);
    const chunkSize = plan.source === 'cards' ? this.deps.concurrency : CHUNK;
    for (let i = 0; i < todo.length; i += chunkSize) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const chunk = todo.slice(i, i + chunkSize);
      const results = await this.checkChunk(run.options, plan, chunk, views);
      for (const result of results) this.account(run, result);
      stored.cursors[campaignId] = { done: false, after: chunk[chunk.length - 1].id };
      run.calls = calls();
      await this.runs.save(stored);
    }
  }

  /**
   * A chunk of cards: each one's view (read now when cards are read one by one), the transactions
   * missing here backfilled together, the projections waited for once, then each card compared again.
   */
  private async checkChunk(
    options: ReconciliationOptionsDto,
    plan: CampaignPlanDto,
    chunk: { id: string; code: string | null }[],
    views: Map<string, CardView> | null,
  ): Promise<CardResult[]> {
    const campaignId = plan.campaign_id;
    const before = await campaignInLedger(this.deps.pool, campaignId, chunk.map((c) => c.id));
    const outcomes: (CardOutcome | CardResult)[] = await Promise.all(
      chunk.map(async ({ id, code }) => {
        try {
          const memberCode = code ?? before.get(id)?.code ?? null;
          let view = views?.get(id) ?? null;
          if (!view) {
            if (!memberCode) return failedCard(campaignId, id, 'the ledger knows no code for this card, and Voucherify is asked for a card by its code');
            view = await readCard(this.deps.api, campaignId, memberCode, options.since);
          }
          const found = compareTransactions(view, before.get(id), options.since);
          return { campaignId, cardId: id, view, found, now: found, ledgerBefore: before.get(id), ledgerAfter: before.get(id), backfilledIds: new Set<string>(), backfilled: 0, problems: [], backfill: options.backfill };
        } catch (error) {
          if (error instanceof VoucherifyAuthError) throw error;
          return failedCard(campaignId, id, (error as Error).message);
        }
      }),
    );
    const checked = outcomes.filter((o): o is CardOutcome => 'view' in o);
    if (options.backfill) {
      let head = 0;
      for (const o of checked) head = Math.max(head, await this.backfill(o));
      if (head > 0 && !(await this.projectionsReached(head))) {
        for (const o of checked) if (o.backfilledIds.size > 0) o.problems.push(`backfilled up to log position ${head}, not yet applied by the projections (is a projector running?)`);
      }
      if (head > 0) {
        const after = await campaignInLedger(this.deps.pool, campaignId, checked.map((o) => o.cardId));
        for (const o of checked) {
          o.ledgerAfter = after.get(o.cardId);
          o.now = compareTransactions(o.view, o.ledgerAfter, options.since);
        }
      }
    }
    await this.settleBalances(checked, campaignId);
    return outcomes.map((o) => ('view' in o ? cardResult(o) : o));
  }

  /**
   * A card whose read gave only the balance after its newest listed transaction, whose transactions
   * all agree, and whose ledger balance differs from it, is read on its own (by code) while the
   * budget allows: a change without a transaction after it explains the difference or the card
   * differs. Transactions still missing, unknown or different explain a difference already.
   */
  private async settleBalances(outcomes: CardOutcome[], campaignId: string): Promise<void> {
    for (const o of outcomes) {
      const ours = o.ledgerAfter?.balance ?? 0;
      if (o.view.balanceIsCurrent || o.view.balance === null || o.view.balance === ours) continue;
      if (o.now.missing.length + o.now.unknown.length + o.now.different.length > 0) continue;
      const code = o.view.card?.code ?? o.ledgerAfter?.code ?? null;
      if (!code) continue;
      if (this.deps.api.http.callsLeft < 1) {
        o.problems.push('balance not settled: the budget of calls is spent');
        continue;
      }
      try {
        const card = await this.deps.api.getMember(campaignId, code);
        o.view = { ...o.view, card, known: card !== null, balance: card?.balance ?? null, balanceIsCurrent: true };
      } catch (error) {
        if (error instanceof VoucherifyAuthError) throw error;
        o.problems.push(`balance not settled: ${(error as Error).message}`);
      }
    }
  }

  /** Appends a card's missing transactions, oldest first; answers the highest log position it reached (0: none). */
  private async backfill(o: CardOutcome): Promise<number> {
    if (!o.view.known || o.found.missing.length === 0) return 0;
    const card = {
      code: o.view.card?.code ?? o.ledgerBefore?.code ?? null,
      holder_id: o.view.card?.holder_id ?? o.ledgerBefore?.holder_id ?? null,
      campaign_id: o.campaignId,
    };
    let head = 0;
    // Oldest first: the log then holds them in the order they happened.
    const ordered = [...o.found.missing].sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || a.id.localeCompare(b.id));
    for (const transaction of ordered) {
      const result = await this.deps.ingest(backfillBody(transaction, card));
      if (result.outcome === 'appended' || result.outcome === 'duplicate') {
        if (result.outcome === 'appended') o.backfilled++;
        o.backfilledIds.add(transaction.id);
        head = Math.max(head, result.position);
      } else if (result.outcome === 'conflict') {
        o.problems.push(`transaction ${transaction.id}: an earlier backfill stored it with other card details (event ${result.eventId})`);
      } else if (result.outcome === 'refused') {
        o.problems.push(`transaction ${transaction.id}: refused by the ingest (${result.reason}: ${result.message})`);
      }
    }
    return head;
  }

  private account(run: ReconciliationReportDto, result: CardResult): void {
    const s = run.summary;
    run.progress.cards_checked++;
    s.cards_checked++;
    s.transactions_missing += result.missing;
    s.transactions_unknown += result.unknown;
    s.transactions_different += result.different;
    s.transactions_backfilled += result.backfilled;
    if (result.failed) s.cards_failed++;
    if (result.difference) {
      if (!result.difference.resolved) {
        s.cards_differing++;
        s.points_unexplained += result.difference.points_unexplained;
      }
      recordCard(run, result.difference);
    }
  }

  /** Waits (bounded) until the projections a card is compared on have applied the log up to `head`. */
  private async projectionsReached(head: number): Promise<boolean> {
    const deadline = Date.now() + (this.deps.projectionWaitMs ?? 30_000);
    for (;;) {
      if (await haveApplied(this.deps.pool, BACKFILL_PROJECTIONS, head)) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
