import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { haveApplied } from '@ledger/event-store';
import {
  campaignsOfCards,
  campaignsWithCards,
  campaignsWithGaps,
  cardsOfCampaign,
  cardsWithGaps,
  CardTransaction,
  cardTransactions,
} from '@ledger/projections';
import type {
  CardDifferenceDto,
  DifferentTransactionDto,
  MissingTransactionDto,
  ReconciliationOptionsDto,
  ReconciliationReportDto,
  RunTrigger,
  UnknownTransactionDto,
} from './reconciliation.dto';
import type { IngestResult } from '../ingest/ingest-result';
import { backfillBody } from './backfill-event';
import { HeldLocks, lockCampaigns } from './campaign-locks';
import { ReconciliationRuns, recordCard, StoredRun } from './reconciliation-runs';
import { VoucherifyApi, VoucherifyAuthError, CardInVoucherify, TransactionInVoucherify } from './voucherify-api';

/** Transactions listed per kind and card in a report (the counts are exact). */
const MAX_LISTED_TRANSACTIONS = 100;
/** The read models a backfilled transaction must reach before the card is compared again. */
const BACKFILL_PROJECTIONS = ['ledger', 'loyalty_cards'];

export interface ReconcileRequest {
  campaignIds: string[];
  cardIds: string[];
  gapsOnly: boolean;
  since: string | null;
  backfill: boolean;
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
  concurrency: number;
  /** Longest wait for the projections to apply what a backfill appended. */
  projectionWaitMs?: number;
  holder?: string;
}

/** A run with its campaigns locked, ready to go (or to resume). */
export interface StartedRun {
  stored: StoredRun;
  locks: HeldLocks;
}

const optionsOf = (r: ReconcileRequest): ReconciliationOptionsDto => ({
  campaign_ids: [...new Set(r.campaignIds)].sort(),
  card_ids: [...new Set(r.cardIds)].sort(),
  gaps_only: r.gapsOnly,
  since: r.since,
  backfill: r.backfill,
});

/**
 * Compares the ledger with Voucherify's API card by card: the balance, and the transactions by id
 * (missing here, unknown to Voucherify, different points). With backfill, a missing transaction is
 * appended through the ingest use case as the webhook Voucherify did not deliver. Runs are kept
 * (reconciliation_runs), go card by card in id order with a cursor per campaign, and resume
 * where an interrupted run of the same options stopped. One run per campaign at a time.
 */
export class Reconciler {
  readonly runs: ReconciliationRuns;
  private readonly holder: string;

  constructor(private readonly deps: ReconcilerDeps) {
    this.runs = new ReconciliationRuns(deps.pool);
    this.holder = deps.holder ?? `${hostname()}:${process.pid}`;
  }

  /** Locks the campaigns and creates the run (or takes up the interrupted one of the same options). */
  async start(request: ReconcileRequest, trigger: RunTrigger): Promise<StartedRun> {
    const options = optionsOf(request);
    const campaignIds = await this.campaignsOf(options);
    const locks = await lockCampaigns(this.deps.pool, campaignIds);
    if ('heldBy' in locks) throw new ReconcileLockedError(locks.heldBy, await this.runs.holderOf(locks.heldBy));
    try {
      await this.runs.markOrphansInterrupted(campaignIds);
      const resumable = await this.runs.findResumable(options, campaignIds);
      if (resumable) {
        await this.runs.resume(resumable.run.id, this.holder);
        return { stored: (await this.runs.find(resumable.run.id))!, locks };
      }
      const stored = await this.runs.create({ id: randomUUID(), trigger, options, campaignIds, holder: this.holder });
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
    try {
      for (const campaignId of stored.campaignIds) {
        const cursor = stored.cursors[campaignId] ?? { done: false, after: null };
        if (cursor.done) continue;
        await this.reconcileCampaign(stored, campaignId, cursor.after, signal);
        stored.cursors[campaignId] = { done: true };
        stored.run.progress.campaigns_done++;
        stored.run.progress.current_campaign_id = null;
        stored.run.progress.cards_total = null;
        await this.runs.save(stored);
      }
      await this.runs.finish(id, 'succeeded', null);
    } catch (error) {
      if (signal?.aborted) {
        await this.runs.finish(id, 'interrupted', null).catch(() => undefined);
        throw new ReconcileInterruptedError(id);
      }
      await this.runs.finish(id, 'failed', (error as Error).message).catch(() => undefined);
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
      const known = await campaignsOfCards(this.deps.pool, options.card_ids);
      const unknown = options.card_ids.filter((id) => !known.get(id));
      if (unknown.length > 0) {
        throw new ReconcileRequestError(`the ledger does not know the campaign of card ${unknown.slice(0, 5).join(', ')}; name it with --campaign`);
      }
      return [...new Set([...known.values()] as string[])].sort();
    }
    return options.gaps_only ? campaignsWithGaps(this.deps.pool) : campaignsWithCards(this.deps.pool);
  }

  /** The cards of a campaign to check, in id order. */
  private async cardsOf(stored: StoredRun, campaignId: string): Promise<{ ids: string[]; fromVoucherify: Map<string, CardInVoucherify> }> {
    const { options } = stored.run;
    const fromVoucherify = new Map<string, CardInVoucherify>();
    let ids: string[];
    if (options.card_ids.length > 0) {
      // A card goes to the campaign the ledger knows it in; one the ledger does not know, to every campaign named.
      const known = await campaignsOfCards(this.deps.pool, options.card_ids);
      ids = options.card_ids.filter((id) => (known.get(id) ?? campaignId) === campaignId);
    } else if (options.gaps_only) {
      ids = await cardsWithGaps(this.deps.pool, campaignId);
    } else {
      // Voucherify's cards and the ledger's: a card only one side knows is a difference too.
      for (const card of await this.deps.api.listMembers(campaignId)) fromVoucherify.set(card.id, card);
      ids = [...new Set([...fromVoucherify.keys(), ...(await cardsOfCampaign(this.deps.pool, campaignId))])];
    }
    return { ids: [...new Set(ids)].sort(), fromVoucherify };
  }

  private async reconcileCampaign(stored: StoredRun, campaignId: string, after: string | null, signal?: AbortSignal): Promise<void> {
    const { run } = stored;
    run.progress.current_campaign_id = campaignId;
    const { ids } = await this.cardsOf(stored, campaignId);
    const todo = after === null ? ids : ids.filter((id) => id > after);
    run.progress.cards_total = ids.length;
    await this.runs.save(stored);
    // Chunks of `concurrency` cards; the cursor moves past a chunk once all of it is recorded.
    for (let i = 0; i < todo.length; i += this.deps.concurrency) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const chunk = todo.slice(i, i + this.deps.concurrency);
      const results = await Promise.all(chunk.map((cardId) => this.checkCardSafely(run.options, campaignId, cardId)));
      for (const result of results) this.account(run, result);
      stored.cursors[campaignId] = { done: false, after: chunk[chunk.length - 1] };
      await this.runs.save(stored);
    }
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

  /** A card Voucherify keeps failing on is reported and the run goes on; refused credentials stop it. */
  private async checkCardSafely(options: ReconciliationOptionsDto, campaignId: string, cardId: string): Promise<CardResult> {
    try {
      return await this.checkCard(options, campaignId, cardId);
    } catch (error) {
      if (error instanceof VoucherifyAuthError) throw error;
      if (error instanceof ReconcileInterruptedError) throw error;
      const message = (error as Error).message;
      return {
        missing: 0,
        unknown: 0,
        different: 0,
        backfilled: 0,
        failed: true,
        difference: {
          campaign_id: campaignId,
          card_id: cardId,
          code: null,
          voucherify_balance: null,
          ledger_balance: null,
          missing_here: [],
          unknown_to_voucherify: [],
          different_points: [],
          resolved: false,
          points_unexplained: 0,
          explanation: `not checked: ${message}`,
        },
      };
    }
  }

  private async checkCard(options: ReconciliationOptionsDto, campaignId: string, cardId: string): Promise<CardResult> {
    const card = await this.deps.api.getMember(campaignId, cardId);
    const since = options.since ? Date.parse(options.since) : null;
    const inWindow = (at: string | null) => since === null || (at !== null && Date.parse(at) >= since);
    const theirs = card ? (await this.deps.api.listCardTransactions(campaignId, cardId)).filter((t) => inWindow(t.created_at)) : [];
    const before = await cardTransactions(this.deps.pool, cardId);
    const ours = before.transactions.filter((t) => inWindow(t.occurred_at));

    const compare = (mine: CardTransaction[]) => {
      const byId = new Map(mine.map((t) => [t.transaction_id, t]));
      const theirIds = new Set(theirs.map((t) => t.id));
      return {
        missing: theirs.filter((t) => !byId.has(t.id)),
        unknown: mine.filter((t) => !theirIds.has(t.transaction_id)),
        different: theirs.filter((t) => byId.has(t.id) && byId.get(t.id)!.points !== t.points),
        byId,
      };
    };
    const found = compare(ours);
    const voucherifyBalance = card?.balance ?? null;

    let backfilled = 0;
    const backfilledIds = new Set<string>();
    const problems: string[] = [];
    let after = before;
    if (options.backfill && card && found.missing.length > 0) {
      let head = 0;
      // Oldest first: the log then holds them in the order they happened.
      const ordered = [...found.missing].sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || a.id.localeCompare(b.id));
      for (const transaction of ordered) {
        const result = await this.deps.ingest(backfillBody(transaction, card));
        if (result.outcome === 'appended') {
          backfilled++;
          backfilledIds.add(transaction.id);
          head = Math.max(head, result.position);
        } else if (result.outcome === 'duplicate') {
          backfilledIds.add(transaction.id);
          head = Math.max(head, result.position);
        } else if (result.outcome === 'conflict') {
          problems.push(`transaction ${transaction.id}: an earlier backfill stored it with other card details (event ${result.eventId})`);
        } else if (result.outcome === 'refused') {
          problems.push(`transaction ${transaction.id}: refused by the ingest (${result.reason}: ${result.message})`);
        }
      }
      if (head > 0 && !(await this.projectionsReached(head))) {
        problems.push(`backfilled up to log position ${head}, not yet applied by the projections (is a projector running?)`);
      }
      after = await cardTransactions(this.deps.pool, cardId);
    }

    const now = compare(after.transactions.filter((t) => inWindow(t.occurred_at)));
    const balanceAgrees = card === null ? after.balance === null : voucherifyBalance === (after.balance ?? 0);
    const resolved = balanceAgrees && now.missing.length === 0 && now.unknown.length === 0 && now.different.length === 0;
    const differed = !resolved || found.missing.length + found.unknown.length + found.different.length > 0 || (before.balance ?? 0) !== (voucherifyBalance ?? 0);
    let explanation: string | null = problems.length > 0 ? problems.join('; ') : null;
    if (!resolved && explanation === null) explanation = explain(card, now, balanceAgrees, options.backfill, voucherifyBalance, after.balance);

    // What the differences leave unexplained at the end: the points of the transactions still
    // missing, unknown or different, or (when the transactions agree) the balance difference.
    const byTransaction =
      now.missing.reduce((sum, t) => sum + Math.abs(t.points ?? 0), 0) +
      now.unknown.reduce((sum, t) => sum + Math.abs(t.points ?? 0), 0) +
      now.different.reduce((sum, t) => sum + Math.abs((t.points ?? 0) - (now.byId.get(t.id)!.points ?? 0)), 0);
    const pointsUnexplained = resolved ? 0 : Math.max(byTransaction, Math.abs((voucherifyBalance ?? 0) - (after.balance ?? 0)));
    const difference: CardDifferenceDto | null = differed
      ? {
          campaign_id: campaignId,
          card_id: cardId,
          code: card?.code ?? null,
          voucherify_balance: voucherifyBalance,
          ledger_balance: after.balance,
          missing_here: found.missing.slice(0, MAX_LISTED_TRANSACTIONS).map(
            (t): MissingTransactionDto => ({ transaction_id: t.id, type: t.type, points: t.points, created_at: t.created_at, backfilled: backfilledIds.has(t.id) }),
          ),
          unknown_to_voucherify: found.unknown
            .slice(0, MAX_LISTED_TRANSACTIONS)
            .map((t): UnknownTransactionDto => ({ transaction_id: t.transaction_id, type: t.transaction_type, points: t.points, occurred_at: t.occurred_at })),
          different_points: found.different
            .slice(0, MAX_LISTED_TRANSACTIONS)
            .map((t): DifferentTransactionDto => ({ transaction_id: t.id, voucherify_points: t.points, ledger_points: found.byId.get(t.id)!.points })),
          resolved,
          points_unexplained: pointsUnexplained,
          explanation,
        }
      : null;
    return { missing: found.missing.length, unknown: found.unknown.length, different: found.different.length, backfilled, failed: false, difference };
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

interface CardResult {
  missing: number;
  unknown: number;
  different: number;
  backfilled: number;
  failed: boolean;
  difference: CardDifferenceDto | null;
}

function explain(
  card: CardInVoucherify | null,
  now: { missing: TransactionInVoucherify[]; unknown: CardTransaction[]; different: TransactionInVoucherify[] },
  balanceAgrees: boolean,
  backfill: boolean,
  theirs: number | null,
  ours: number | null,
): string {
  if (card === null) return 'Voucherify does not know this card (404) but the ledger has it';
  const parts: string[] = [];
  if (now.missing.length > 0) parts.push(`${now.missing.length} transaction(s) missing here${backfill ? '' : ' (run with --backfill to append them)'}`);
  if (now.unknown.length > 0) parts.push(`${now.unknown.length} ledger transaction(s) unknown to Voucherify`);
  if (now.different.length > 0) parts.push(`${now.different.length} transaction(s) with different points`);
  if (!balanceAgrees) {
    parts.push(
      parts.length === 0
        ? `balance differs by ${(theirs ?? 0) - (ours ?? 0)} with every transaction in agreement: a change without a transaction (a reward paid in points, a manual edit) is missing here or was reported differently`
        : `balance: Voucherify ${theirs}, ledger ${ours ?? 'none'}`,
    );
  }
  return parts.join('; ');
}
