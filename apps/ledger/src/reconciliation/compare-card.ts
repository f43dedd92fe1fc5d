import type { CardInLedger, LedgerTransaction } from '@ledger/projections';
import type { CardDifferenceDto, DifferentTransactionDto, MissingTransactionDto, UnknownTransactionDto } from './reconciliation.dto';
import type { TransactionInVoucherify } from './voucherify-api';
import type { CardView } from './voucherify-view';

/** Transactions listed per kind and card in a report (the counts are exact). */
const MAX_LISTED_TRANSACTIONS = 100;

/** How one card's transactions in the window compare, by transaction id. */
export interface Comparison {
  missing: TransactionInVoucherify[];
  unknown: LedgerTransaction[];
  different: TransactionInVoucherify[];
  ledgerById: Map<string, LedgerTransaction>;
}

const inWindow = (since: string | null) => (at: string | null) => since === null || (at !== null && Date.parse(at) >= Date.parse(since));

export function compareTransactions(view: CardView, ledger: CardInLedger | undefined, since: string | null): Comparison {
  const ours = (ledger?.transactions ?? []).filter((t) => inWindow(since)(t.occurred_at));
  const ledgerById = new Map(ours.map((t) => [t.transaction_id, t]));
  const theirIds = new Set(view.transactions.map((t) => t.id));
  return {
    missing: view.transactions.filter((t) => !ledgerById.has(t.id)),
    unknown: ours.filter((t) => !theirIds.has(t.transaction_id)),
    different: view.transactions.filter((t) => ledgerById.has(t.id) && ledgerById.get(t.id)!.points !== t.points),
    ledgerById,
  };
}

/** What a card's check found: before a backfill, after it, and what the run did about it. */
export interface CardOutcome {
  campaignId: string;
  cardId: string;
  view: CardView;
  found: Comparison;
  now: Comparison;
  ledgerBefore: CardInLedger | undefined;
  ledgerAfter: CardInLedger | undefined;
  backfilledIds: Set<string>;
  backfilled: number;
  problems: string[];
  backfill: boolean;
}

export interface CardResult {
  missing: number;
  unknown: number;
  different: number;
  backfilled: number;
  failed: boolean;
  difference: CardDifferenceDto | null;
}

/** The balance Voucherify shows and whether the ledger agrees; a balance the read did not tell agrees. */
function balanceAgreement(o: CardOutcome): { theirs: number | null; agrees: boolean } {
  const ours = o.ledgerAfter?.balance ?? null;
  // A card Voucherify does not know agrees when the ledger holds nothing on it either (a deleted card's balance is written off).
  if (!o.view.known) return { theirs: null, agrees: ours === null || ours === 0 };
  if (o.view.balance === null) return { theirs: null, agrees: true };
  return { theirs: o.view.balance, agrees: o.view.balance === (ours ?? 0) };
}

/** The report line of a card, or null when it agreed from the start. */
export function cardResult(o: CardOutcome): CardResult {
  const { found, now } = o;
  const { theirs, agrees } = balanceAgreement(o);
  const resolved = agrees && now.missing.length === 0 && now.unknown.length === 0 && now.different.length === 0;
  const balanceBefore = o.ledgerBefore?.balance ?? null;
  const differedBefore = theirs !== null && (balanceBefore ?? 0) !== theirs;
  const differed = !resolved || found.missing.length + found.unknown.length + found.different.length > 0 || differedBefore;
  let explanation: string | null = o.problems.length > 0 ? o.problems.join('; ') : null;
  if (!resolved && explanation === null) explanation = explain(o, agrees, theirs);
  // What the differences leave unexplained at the end: the points of the transactions still
  // missing, unknown or different, or (when the transactions agree) the balance difference.
  const byTransaction =
    now.missing.reduce((sum, t) => sum + Math.abs(t.points ?? 0), 0) +
    now.unknown.reduce((sum, t) => sum + Math.abs(t.points ?? 0), 0) +
    now.different.reduce((sum, t) => sum + Math.abs((t.points ?? 0) - (now.ledgerById.get(t.id)!.points ?? 0)), 0);
  const ledgerBalance = o.ledgerAfter?.balance ?? null;
  const pointsUnexplained = resolved ? 0 : Math.max(byTransaction, Math.abs((theirs ?? ledgerBalance ?? 0) - (ledgerBalance ?? 0)));
  const difference: CardDifferenceDto | null = differed
    ? {
        campaign_id: o.campaignId,
        card_id: o.cardId,
        code: o.view.card?.code ?? o.ledgerAfter?.code ?? null,
        voucherify_balance: theirs,
        ledger_balance: ledgerBalance,
        missing_here: found.missing.slice(0, MAX_LISTED_TRANSACTIONS).map(
          (t): MissingTransactionDto => ({ transaction_id: t.id, type: t.type, points: t.points, created_at: t.created_at, backfilled: o.backfilledIds.has(t.id) }),
        ),
        unknown_to_voucherify: found.unknown
          .slice(0, MAX_LISTED_TRANSACTIONS)
          .map((t): UnknownTransactionDto => ({ transaction_id: t.transaction_id, type: t.transaction_type, points: t.points, occurred_at: t.occurred_at })),
        different_points: found.different
          .slice(0, MAX_LISTED_TRANSACTIONS)
          .map((t): DifferentTransactionDto => ({ transaction_id: t.id, voucherify_points: t.points, ledger_points: found.ledgerById.get(t.id)!.points })),
        resolved,
        points_unexplained: pointsUnexplained,
        explanation,
      }
    : null;
  return { missing: found.missing.length, unknown: found.unknown.length, different: found.different.length, backfilled: o.backfilled, failed: false, difference };
}

/** A card that could not be checked: reported, and the run goes on. */
export function failedCard(campaignId: string, cardId: string, message: string): CardResult {
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

function explain(o: CardOutcome, balanceAgrees: boolean, theirs: number | null): string {
  if (!o.view.known) return 'Voucherify does not know this card (404, or not in its vouchers export) but the ledger has it';
  const { now } = o;
  const ours = o.ledgerAfter?.balance ?? null;
  const parts: string[] = [];
  if (now.missing.length > 0) parts.push(`${now.missing.length} transaction(s) missing here${o.backfill ? '' : ' (run with --backfill to append them)'}`);
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
