import fc from 'fast-check';

/**
 * What Voucherify emits for loyalty cards, generated from one truth: each transaction reported by
 * several webhooks (transaction.created, points_added or points_expired, a distribution twin),
 * reward redemptions seen only as a snapshot that moved (no transaction), and snapshots that lag
 * (a card as it stood at an earlier time, dated with that time). The expected ledger is computed
 * from the truth and the set of webhooks that were delivered.
 */
export interface Webhook {
  eventId: string;
  type: string;
  /** The envelope's `type`: the free-text name of a distribution webhook, else the type. */
  envelopeType: string;
  createdAt: string;
  data: Record<string, unknown>;
}

type Change =
  | { kind: 'tx'; id: string; type: string; points: number; before: number; after: number; at: string; webhooks: Webhook[] }
  | { kind: 'derived'; points: number; before: number; after: number; at: string; webhook: Webhook };
type Snapshot = { kind: 'snapshot'; balance: number; at: string; webhook: Webhook };
export type TruthItem = Change | Snapshot;

export interface CardTruth {
  voucherId: string;
  customerId: string;
  campaignId: string;
  /** In true order (time, then the order things happened at one time). */
  items: TruthItem[];
}

export interface LedgerTruth {
  cards: CardTruth[];
  webhooks: Webhook[];
}

type Step =
  | { op: 'accrue' | 'add'; amount: number; twins: number }
  | { op: 'expire' | 'remove' | 'redeem'; fraction: number }
  | { op: 'reward'; price: number }
  | { op: 'lagging-snapshot'; back: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom('accrue' as const, 'add' as const), amount: fc.integer({ min: 1, max: 500 }), twins: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constantFrom('expire' as const, 'remove' as const, 'redeem' as const), fraction: fc.double({ min: 0.05, max: 0.9, noNaN: true }) }),
  fc.record({ op: fc.constant('reward' as const), price: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ op: fc.constant('lagging-snapshot' as const), back: fc.integer({ min: 1, max: 3 }) }),
);

const TX_TYPE = { accrue: 'POINTS_ACCRUAL', add: 'POINTS_ADDITION', expire: 'POINTS_EXPIRATION', remove: 'POINTS_REMOVAL', redeem: 'POINTS_REDEMPTION' };

function buildCard(index: number, steps: Step[], seed: string): CardTruth {
  const voucherId = `v_lt_${seed}_${index}`;
  const customerId = `cust_lt_${seed}_${index}`;
  const campaignId = `camp_lt_${index % 2}`;
  const items: TruthItem[] = [];
  let balance = 0;
  let n = 0;
  const history: { at: string; balance: number }[] = [];
  const start = Date.UTC(2024, 0, 1) + index * 1000;
  const timeOf = (k: number) => new Date(start + k * 3_600_000).toISOString();
  const card = (at: string, b: number) => ({
    id: voucherId,
    code: `LT-${seed}-${index}`,
    type: 'LOYALTY_CARD',
    campaign: `Campaign ${index % 2}`,
    campaign_id: campaignId,
    holder_id: customerId,
    updated_at: at,
    loyalty_card: { points: Math.max(b, 0), balance: b },
  });
  const webhook = (type: string, at: string, data: Record<string, unknown>, envelopeType = type): Webhook => ({
    eventId: `evlt_${seed}_${index}_${n++}`,
    type,
    envelopeType,
    createdAt: at,
    data,
  });

  const published = timeOf(0);
  items.push({ kind: 'snapshot', balance: 0, at: published, webhook: webhook('voucher.published', published, { voucher: card(published, 0) }) });
  history.push({ at: published, balance: 0 });

  let previousAt: string | null = null;
  steps.forEach((step, k) => {
    // Now and then two transactions at the same time: the balance chain must order them. Only
    // transactions share a moment: a reward and a transaction at one time, with a webhook missing
    // before them, can be read in either order (both explain the balances), so no truth can say.
    const together = 'amount' in step && step.amount % 4 === 0 && previousAt !== null;
    const at = together ? previousAt! : timeOf(k + 1);
    previousAt = 'amount' in step || 'fraction' in step ? at : null;
    if (step.op === 'lagging-snapshot') {
      // The card as it stood some steps ago, dated with that time (a snapshot that lags).
      const past = history[Math.max(0, history.length - step.back)];
      items.push({ kind: 'snapshot', balance: past.balance, at: past.at, webhook: webhook('voucher.updated', at, { voucher: card(past.at, past.balance) }) });
      return;
    }
    if (step.op === 'reward') {
      if (step.price > balance) return;
      const before = balance;
      balance -= step.price;
      // A reward paid in points: only a snapshot that moved, no transaction.
      const hook = webhook('customer.reward_redemptions.completed', at, {
        voucher: card(at, balance),
        reward_redemption: { id: `rewr_${seed}_${index}_${k}`, state: 'COMPLETED' },
      });
      items.push({ kind: 'derived', points: -step.price, before, after: balance, at, webhook: hook });
      history.push({ at, balance });
      return;
    }
    const points = 'amount' in step ? step.amount : -Math.floor(balance * step.fraction);
    if (points === 0) return;
    const before = balance;
    balance += points;
    const id = `vtx_${seed}_${index}_${k}`;
    const transaction = {
      id,
      type: TX_TYPE[step.op],
      voucher_id: voucherId,
      campaign_id: campaignId,
      created_at: at,
      details: { balance: { type: 'loyalty_card', points, total: balance, balance, related_object: { id: voucherId, type: 'voucher' } } },
    };
    // The snapshot sent with a transaction may lag it: it shows the card before the change.
    const webhooks = [webhook('voucher.loyalty_card.transaction.created', at, { voucher: card(at, before), transaction })];
    if (step.op === 'accrue' || step.op === 'add') {
      webhooks.push(webhook('voucher.loyalty_card.points_added', at, { voucher: card(at, balance), transaction, balance: transaction.details.balance }));
      for (let t = 0; t < step.twins; t++) {
        webhooks.push(webhook('customer.voucher.loyalty_card.points_added', at, { voucher: card(at, balance), transaction }, `Points added ${t}`));
      }
    } else if (step.op === 'expire') {
      webhooks.push(webhook('voucher.loyalty_card.points_expired', at, { voucher: card(at, balance), transaction }));
    }
    items.push({ kind: 'tx', id, type: TX_TYPE[step.op], points, before, after: balance, at, webhooks });
    // A snapshot dated with a time shows the card after everything that happened at that time.
    if (history[history.length - 1].at === at) history.pop();
    history.push({ at, balance });
  });
  // True order: by time; a lagging snapshot dated with an earlier change's time comes right after it.
  items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.kind === 'snapshot' ? 1 : 0) - (b.kind === 'snapshot' ? 1 : 0));
  return { voucherId, customerId, campaignId, items };
}

export function ledgerTruthArbitrary(maxCards = 4, maxSteps = 12): fc.Arbitrary<LedgerTruth> {
  return fc
    .tuple(fc.array(fc.array(stepArbitrary, { minLength: 1, maxLength: maxSteps }), { minLength: 1, maxLength: maxCards }), fc.integer({ min: 0, max: 0xffffff }).map((n) => n.toString(16).padStart(6, '0')))
    .map(([cards, seed]) => {
      const built = cards.map((steps, i) => buildCard(i, steps, seed));
      const webhooks = built.flatMap((c) => c.items.flatMap((item) => ('webhooks' in item ? item.webhooks : [item.webhook])));
      return { cards: built, webhooks };
    });
}

export interface ExpectedEntry {
  /** The transaction id; `derived@<time>` for a change seen only in a snapshot (two snapshots of one moment are one change). */
  key: string;
  points: number;
  balanceAfter: number;
  unexplainedBefore: number;
}

/**
 * The ledger the delivered webhooks must give a card, walked in true order: a delivered
 * transaction is one entry (a gap before it when the balance does not follow), a delivered
 * snapshot that moved the balance is a derived entry, anything not delivered is not there.
 */
export function expectedLedger(card: CardTruth, delivered: Set<string>): ExpectedEntry[] {
  const entries: ExpectedEntry[] = [];
  let running = 0;
  for (const item of card.items) {
    if (item.kind === 'tx') {
      if (!item.webhooks.some((w) => delivered.has(w.eventId))) continue;
      entries.push({ key: item.id, points: item.points, balanceAfter: item.after, unexplainedBefore: item.before - running });
      running = item.after;
      continue;
    }
    if (!delivered.has(item.webhook.eventId)) continue;
    const balance = item.kind === 'snapshot' ? item.balance : item.after;
    if (balance === running) continue;
    entries.push({ key: `derived@${item.at}`, points: balance - running, balanceAfter: balance, unexplainedBefore: 0 });
    running = balance;
  }
  return entries;
}

/**
 * True when the delivered facts cannot tell the order of one moment's transactions: a webhook is
 * missing before the moment, and the balance it leaves happens to be where a later transaction of
 * the same moment starts (a +244 dropped after a -244, say). Either order explains the balances
 * then, and no ledger can know which is true; such a card is compared by its entries and its
 * final balance, not by their order.
 */
export function momentIsAmbiguous(card: CardTruth, delivered: Set<string>): boolean {
  let running = 0;
  const items = card.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const moment = items.filter((other) => other.at === item.at && other.kind === 'tx' && other.webhooks.some((w) => delivered.has(w.eventId)));
    if (item.kind === 'tx' && moment[0] === item && moment.length > 1 && item.before !== running) {
      if (moment.slice(1).some((later) => later.kind === 'tx' && later.before === running)) return true;
    }
    if (item.kind === 'tx') {
      if (item.webhooks.some((w) => delivered.has(w.eventId))) running = item.after;
    } else if (delivered.has(item.webhook.eventId)) {
      running = item.kind === 'snapshot' ? item.balance : item.after;
    }
  }
  return false;
}

/**
 * The card's true balance at a time: after the last change at or before it; null before its first
 * change (a card published at 0 has no ledger entry yet, and "as of" then says it did not exist).
 */
export function trueBalanceAt(card: CardTruth, at: number): number | null {
  let balance: number | null = null;
  for (const item of card.items) {
    if (Date.parse(item.at) > at) break;
    if (item.kind !== 'snapshot') balance = item.after;
  }
  return balance;
}
