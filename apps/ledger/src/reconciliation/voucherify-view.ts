import type { CardInLedger } from '@ledger/projections';
import type { CampaignPlanDto } from './reconciliation.dto';
import type { CardInVoucherify, TransactionInVoucherify, VoucherifyApi } from './voucherify-api';

/** One card as Voucherify's side of a run shows it. */
export interface CardView {
  /** The card itself, when the read gave it (a member call, the vouchers export). */
  card: CardInVoucherify | null;
  /** False when Voucherify answered that it does not know the card (404, or absent from a full export). */
  known: boolean;
  /** Its transactions in the run's window. */
  transactions: TransactionInVoucherify[];
  /** Its current balance as the read tells it; null when the read does not tell it. */
  balance: number | null;
  /**
   * True when `balance` is the card's current balance (a member call, the vouchers export); false
   * when it is the balance after its newest listed transaction, which a later change without a
   * transaction (a reward paid in points) may have moved: a differing card is then called on its own.
   */
  balanceIsCurrent: boolean;
}

const byNewest = (a: TransactionInVoucherify, b: TransactionInVoucherify) => (b.created_at ?? '').localeCompare(a.created_at ?? '') || b.id.localeCompare(a.id);

function group(transactions: TransactionInVoucherify[]): Map<string, TransactionInVoucherify[]> {
  const byCard = new Map<string, TransactionInVoucherify[]>();
  for (const t of transactions) {
    const list = byCard.get(t.voucher_id) ?? [];
    list.push(t);
    byCard.set(t.voucher_id, list);
  }
  for (const list of byCard.values()) list.sort(byNewest);
  return byCard;
}

const inWindow = (since: string | null) => (at: string | null) => since === null || (at !== null && Date.parse(at) >= Date.parse(since));

/** One card read on its own, by code: the card, then its transactions (2 calls or more). */
export async function readCard(api: VoucherifyApi, campaignId: string, code: string, since: string | null): Promise<CardView> {
  const card = await api.getMember(campaignId, code);
  if (!card) return { card: null, known: false, transactions: [], balance: null, balanceIsCurrent: true };
  const transactions = (await api.listCardTransactions(campaignId, code)).filter((t) => inWindow(since)(t.created_at));
  return { card, known: true, transactions, balance: card.balance, balanceIsCurrent: true };
}

/**
 * A whole campaign at once, as the plan says: its transactions list down to `since` (cards touched
 * in the window), or its two exports (every card, its current balance, its transactions). The cards
 * the ledger knows in the window are in the answer too, as Voucherify shows them (maybe not at all).
 */
export async function readCampaign(api: VoucherifyApi, plan: CampaignPlanDto, ledger: Map<string, CardInLedger>): Promise<Map<string, CardView>> {
  const views = new Map<string, CardView>();
  const window = inWindow(plan.since);
  if (plan.source === 'transactions_list') {
    const byCard = group(await api.listCampaignTransactionsSince(plan.campaign_id, plan.since!));
    for (const [voucherId, transactions] of byCard) {
      views.set(voucherId, { card: null, known: true, transactions, balance: transactions[0].balance_after, balanceIsCurrent: false });
    }
    // A card the ledger moved in the window and Voucherify listed nothing for: its transactions are unknown there.
    for (const card of ledger.values()) {
      if (!views.has(card.voucher_id) && card.transactions.some((t) => window(t.occurred_at))) {
        views.set(card.voucher_id, { card: null, known: true, transactions: [], balance: null, balanceIsCurrent: false });
      }
    }
    return views;
  }
  const [transactions, cards] = [await api.exportCampaignTransactions(plan.campaign_id, plan.since), await api.exportCampaignCards(plan.campaign_id)];
  const byCard = group(transactions);
  for (const card of cards) {
    views.set(card.id, { card, known: true, transactions: byCard.get(card.id) ?? [], balance: card.balance, balanceIsCurrent: true });
  }
  for (const [voucherId, list] of byCard) {
    // Transactions of a card the vouchers export did not list (created between the two exports): its balance is read on its own if needed.
    if (!views.has(voucherId)) views.set(voucherId, { card: null, known: true, transactions: list, balance: list[0].balance_after, balanceIsCurrent: false });
  }
  for (const card of ledger.values()) {
    if (!views.has(card.voucher_id)) views.set(card.voucher_id, { card: null, known: false, transactions: [], balance: null, balanceIsCurrent: true });
  }
  return views;
}
