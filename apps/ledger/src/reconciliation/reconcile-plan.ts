import type { CampaignPlanDto, PlanSource, ReconciliationOptionsDto, ReconciliationPlanDto } from './reconciliation.dto';

/** Polls an export is expected to need before it is DONE. */
const EXPECTED_EXPORT_POLLS = 2;
/** Two exports (transactions, vouchers): each a create, its polls, one file. */
export const EXPORTS_CALLS = 2 * (1 + EXPECTED_EXPORT_POLLS + 1);
const PAGE = 100;

/** What the ledger knows of a campaign, read before any call: the plan is made from it alone. */
export interface CampaignFacts {
  campaignId: string;
  /** Cards to check when the run reads card by card (asked for, or with open gaps). */
  cardsToCall: number;
  /** Cards the ledger knows in the campaign. */
  cards: number;
  /** Transactions the ledger holds in the run's window (since, else all). */
  transactionsInWindow: number;
}

/** A list read newest first down to `since`: one call a page, and one more page for what the ledger misses. */
const listCalls = (transactions: number) => Math.ceil((transactions * 1.1) / PAGE) + 1;

/** The cheapest read that answers the run's question for one campaign (docs/operations.md, "What a run costs"). */
export function planCampaign(options: ReconciliationOptionsDto, facts: CampaignFacts): CampaignPlanDto {
  const plan = (source: PlanSource, estimated: number, since: string | null): CampaignPlanDto => ({
    campaign_id: facts.campaignId,
    source,
    since,
    cards: source === 'cards' ? facts.cardsToCall : facts.cards,
    transactions_in_ledger: facts.transactionsInWindow,
    estimated_calls: estimated,
  });
  if (options.card_ids.length > 0) return plan('cards', 2 * facts.cardsToCall, options.since);
  if (options.gaps_only) {
    return 2 * facts.cardsToCall <= EXPORTS_CALLS ? plan('cards', 2 * facts.cardsToCall, options.since) : plan('exports', EXPORTS_CALLS, options.since);
  }
  if (options.since !== null && listCalls(facts.transactionsInWindow) <= EXPORTS_CALLS) return plan('transactions_list', listCalls(facts.transactionsInWindow), options.since);
  return plan('exports', EXPORTS_CALLS, options.since);
}

/** The whole run's plan, and whether its budget allows it. */
export function planRun(campaigns: CampaignPlanDto[], budget: { maxCalls: number; callsPerMinute: number; exportPollMs: number }): ReconciliationPlanDto {
  const estimated = campaigns.reduce((sum, c) => sum + c.estimated_calls, 0);
  const exportsWaits = campaigns.filter((c) => c.source === 'exports').length * 2 * EXPECTED_EXPORT_POLLS * budget.exportPollMs;
  const pacedSeconds = Math.max(0, estimated - budget.callsPerMinute) * (60 / budget.callsPerMinute);
  return {
    campaigns,
    estimated_calls: estimated,
    estimated_seconds: Math.ceil(pacedSeconds + exportsWaits / 1000),
    max_calls: budget.maxCalls,
    calls_per_minute: budget.callsPerMinute,
    within_budget: estimated <= budget.maxCalls,
  };
}
