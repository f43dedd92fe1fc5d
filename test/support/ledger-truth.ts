import fc from 'fast-check';

/**
 * What Voucherify emits for loyalty cards, generated from one truth: each transaction reported by
 * several webhooks (transaction.created, points_added or points_expired, a distribution twin),
 * reward redemptions seen only as a snapshot that moved (no transaction), and snapshots that lag
 * (a card as it stood at an earlier time, dated with that time). With options (opt-in, so that the
 * truths of fixed seeds stay what they were): deletions of a card or of its campaign at any point of
 * its history (what is dated after one is late), rewards paid in points (`customer.rewarded`, with
 * or without the POINTS_REDEMPTION transaction of the same redemption) and expiries whose
 * `points_expired` reports carry buckets (their due date). The expected ledger is computed from the
 * truth and the set of webhooks that were delivered.
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
  | {
      kind: 'tx';
      id: string;
      type: string;
      points: number;
      before: number;
      after: number;
      at: string;
      webhooks: Webhook[];
      /** An expiry with buckets: its due date (the latest bucket's expires_at), told only by the reports that carry the buckets. */
      due?: { at: string; eventIds: string[] };
    }
  | { kind: 'derived'; points: number; before: number; after: number; at: string; webhook: Webhook }
  /**
   * A reward paid in points: `customer.rewarded` (the card after the payment, `redemption.amount`,
   * `balance: null`), and, when subscribed, the POINTS_REDEMPTION transaction of the same
   * redemption, dated `at` (the snapshot may be a moment earlier: `observedAt`). One change.
   */
  | {
      kind: 'reward-paid';
      redemptionId: string;
      points: number;
      before: number;
      after: number;
      at: string;
      observedAt: string;
      observation: Webhook;
      transaction: { id: string; at: string; webhooks: Webhook[] } | null;
      webhooks: Webhook[];
    };
type Snapshot = { kind: 'snapshot'; balance: number; at: string; webhook: Webhook };
/**
 * A deletion of the card (`voucher.deleted`, with the card as it stood then: `balance`) or of its
 * campaign (`campaign.deleted`, balance null; the same webhook in every card of the campaign).
 * Final: the card holds nothing after it; a transaction dated after it is a late one.
 */
type Deletion = { kind: 'deletion'; at: string; webhook: Webhook; balance: number | null };
export type TruthItem = Change | Snapshot | Deletion;

export interface CardTruth {
  voucherId: string;
  customerId: string;
  campaignId: string;
  /** In true order (time, then the order things happened at one time). */
  items: TruthItem[];
}

export interface LedgerTruth {
  cards: CardTruth[];
  /** Each webhook once (a campaign's deletion is in every card of the campaign, and here once). */
  webhooks: Webhook[];
}

/** The shapes beyond the first truth, each opt-in. */
export interface TruthOptions {
  /** `voucher.deleted` of a card and `campaign.deleted` (with or without each card's own `voucher.deleted` beside it), anywhere in the history. */
  deletions?: boolean;
  /** `customer.rewarded` for a reward paid in points, with or without its POINTS_REDEMPTION transaction. */
  rewardsInPoints?: boolean;
  /** Expiries whose `points_expired` reports (and a distribution twin) carry `buckets[]`. */
  expiryBuckets?: boolean;
}

export const ALL_SHAPES: TruthOptions = { deletions: true, rewardsInPoints: true, expiryBuckets: true };

/** When a bucket's points were due, before the expiry's own time: a day before at 23:59:59, a date alone, or some hours before. */
type Bucket = { form: 'day' | 'date' | 'hours'; back: number };

type Step =
  | { op: 'accrue' | 'add'; amount: number; twins: number }
  | { op: 'expire' | 'remove' | 'redeem'; fraction: number }
  | { op: 'reward'; price: number }
  | { op: 'lagging-snapshot'; back: number }
  // Only with options:
  | { op: 'expire-due'; fraction: number; buckets: Bucket[]; twin: boolean }
  | { op: 'pay'; price: number; withTransaction: boolean; lateMs: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom('accrue' as const, 'add' as const), amount: fc.integer({ min: 1, max: 500 }), twins: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constantFrom('expire' as const, 'remove' as const, 'redeem' as const), fraction: fc.double({ min: 0.05, max: 0.9, noNaN: true }) }),
  fc.record({ op: fc.constant('reward' as const), price: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ op: fc.constant('lagging-snapshot' as const), back: fc.integer({ min: 1, max: 3 }) }),
);

const expireDueArbitrary: fc.Arbitrary<Step> = fc.record({
  op: fc.constant('expire-due' as const),
  fraction: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
  buckets: fc.array(fc.record({ form: fc.constantFrom('day' as const, 'date' as const, 'hours' as const), back: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 3 }),
  twin: fc.boolean(),
});

const payArbitrary: fc.Arbitrary<Step> = fc.record({
  op: fc.constant('pay' as const),
  price: fc.integer({ min: 1, max: 300 }),
  withTransaction: fc.boolean(),
  // Voucherify's transaction is dated a moment after the snapshot of customer.rewarded (as in its example), or with it.
  lateMs: fc.constantFrom(0, 1, 72),
});

function stepsOf(options: TruthOptions): fc.Arbitrary<Step> {
  const extra = [...(options.expiryBuckets ? [{ arbitrary: expireDueArbitrary, weight: 1 }] : []), ...(options.rewardsInPoints ? [{ arbitrary: payArbitrary, weight: 2 }] : [])];
  if (extra.length === 0) return stepArbitrary;
  return fc.oneof({ arbitrary: stepArbitrary, weight: 4 }, ...extra);
}

const TX_TYPE = { accrue: 'POINTS_ACCRUAL', add: 'POINTS_ADDITION', expire: 'POINTS_EXPIRATION', 'expire-due': 'POINTS_EXPIRATION', remove: 'POINTS_REMOVAL', redeem: 'POINTS_REDEMPTION' };

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A bucket's expires_at as Voucherify would write it, and the instant it stands for. */
function bucketExpiry(at: string, bucket: Bucket): { text: string; ms: number } {
  const dayStart = Math.floor(Date.parse(at) / DAY) * DAY;
  if (bucket.form === 'day') {
    const ms = dayStart - bucket.back * DAY - 1000; // the day(s) before, 23:59:59
    return { text: new Date(ms).toISOString(), ms };
  }
  if (bucket.form === 'date') {
    const ms = dayStart - (bucket.back + 1) * DAY; // a date alone is that day from 00:00 UTC
    return { text: new Date(ms).toISOString().slice(0, 10), ms };
  }
  const ms = Date.parse(at) - bucket.back * HOUR - 1000;
  return { text: new Date(ms).toISOString(), ms };
}

/** A webhook shows as its event id and type in fast-check's reports (a counterexample stays readable); its JSON is unchanged. */
function shownById(w: Webhook): Webhook {
  return Object.defineProperty(w, fc.toStringMethod, { value: () => `${w.eventId} ${w.type}@${w.createdAt}`, enumerable: false });
}

interface BuiltCard {
  card: CardTruth;
  /** The next webhook of this card (event ids go on from its history's). */
  webhook: (type: string, at: string, data: Record<string, unknown>) => Webhook;
  voucher: (at: string, balance: number) => Record<string, unknown>;
  /** The hour `k` of the card's history (0: its publication; step k at hour k + 1). */
  timeOf: (k: number) => number;
  stepCount: number;
}

function buildCard(index: number, steps: Step[], seed: string): BuiltCard {
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
  const webhook = (type: string, at: string, data: Record<string, unknown>, envelopeType = type): Webhook =>
    shownById({
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
    if (step.op === 'pay') {
      if (step.price > balance) return;
      const before = balance;
      balance -= step.price;
      const redemptionId = `r_${seed}_${index}_${k}`;
      const txAt = step.withTransaction ? new Date(Date.parse(at) + step.lateMs).toISOString() : at;
      // customer.rewarded for a reward bought with points (docs/voucherify.md, section 9): the card
      // after the payment, what it paid in redemption.amount, and no balance object.
      const observation = webhook('customer.rewarded', at, {
        customer: { id: customerId, object: 'customer' },
        voucher: { ...card(at, balance), redemption: { quantity: null, redeemed_quantity: 1, redeemed_points: step.price } },
        campaign: { id: campaignId, name: `Campaign ${index % 2}`, campaign_type: 'LOYALTY_PROGRAM', object: 'campaign' },
        redemption: { id: redemptionId, customer_id: customerId, date: at, amount: step.price, result: 'SUCCESS', status: 'SUCCEEDED', voucher: { id: voucherId, code: `LT-${seed}-${index}` }, object: 'redemption' },
        reward: { id: `rew_lt_${seed}_${index}_${k}`, type: 'MATERIAL', object: 'reward' },
        balance: null,
      });
      let transaction: { id: string; at: string; webhooks: Webhook[] } | null = null;
      if (step.withTransaction) {
        const id = `vtx_${seed}_${index}_${k}`;
        const tx = {
          id,
          type: 'POINTS_REDEMPTION',
          voucher_id: voucherId,
          campaign_id: campaignId,
          created_at: txAt,
          details: {
            balance: { type: 'loyalty_card', points: -step.price, total: balance, balance, related_object: { id: voucherId, type: 'voucher' } },
            redemption: { id: redemptionId },
            reward: { id: `rew_lt_${seed}_${index}_${k}`, name: 'A reward' },
          },
        };
        transaction = { id, at: txAt, webhooks: [webhook('voucher.loyalty_card.transaction.created', txAt, { voucher: card(txAt, before), transaction: tx })] };
      }
      items.push({ kind: 'reward-paid', redemptionId, points: -step.price, before, after: balance, at: txAt, observedAt: at, observation, transaction, webhooks: [observation, ...(transaction?.webhooks ?? [])] });
      // A later snapshot of the card shows the payment from the transaction's time on.
      history.push({ at: txAt, balance });
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
    let due: { at: string; eventIds: string[] } | undefined;
    if (step.op === 'accrue' || step.op === 'add') {
      webhooks.push(webhook('voucher.loyalty_card.points_added', at, { voucher: card(at, balance), transaction, balance: transaction.details.balance }));
      for (let t = 0; t < step.twins; t++) {
        webhooks.push(webhook('customer.voucher.loyalty_card.points_added', at, { voucher: card(at, balance), transaction }, `Points added ${t}`));
      }
    } else if (step.op === 'expire') {
      webhooks.push(webhook('voucher.loyalty_card.points_expired', at, { voucher: card(at, balance), transaction }));
    } else if (step.op === 'expire-due') {
      // The buckets the expiry took the points from, each with the date they were due.
      const expiries = step.buckets.map((b) => bucketExpiry(at, b));
      const share = Math.floor(-points / expiries.length);
      const buckets = expiries.map((e, i) => ({ expires_at: e.text, total_points: i === 0 ? -points - share * (expiries.length - 1) : share }));
      const reports = [webhook('voucher.loyalty_card.points_expired', at, { voucher: card(at, balance), transaction, buckets })];
      if (step.twin) reports.push(webhook('customer.voucher.loyalty_card.points_expired', at, { voucher: card(at, balance), transaction, buckets }, 'Points expired'));
      webhooks.push(...reports);
      due = { at: new Date(Math.max(...expiries.map((e) => e.ms))).toISOString(), eventIds: reports.map((r) => r.eventId) };
    }
    items.push(due ? { kind: 'tx', id, type: TX_TYPE[step.op], points, before, after: balance, at, webhooks, due } : { kind: 'tx', id, type: TX_TYPE[step.op], points, before, after: balance, at, webhooks });
    // A snapshot dated with a time shows the card after everything that happened at that time.
    if (history[history.length - 1].at === at) history.pop();
    history.push({ at, balance });
  });
  // True order: by time; a lagging snapshot dated with an earlier change's time comes right after it.
  items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.kind === 'snapshot' ? 1 : 0) - (b.kind === 'snapshot' ? 1 : 0));
  return {
    card: { voucherId, customerId, campaignId, items },
    webhook: (type, at, data) => webhook(type, at, data),
    voucher: card,
    timeOf: (k) => start + k * HOUR,
    stepCount: steps.length,
  };
}

/** A card's own deletion: before step `at` (modulo the steps), at that moment or half an hour later. */
interface CardDeletionPlan {
  at: number;
  sameMoment: boolean;
}

/** A campaign's deletion, at an hour of the histories (an offset that can meet a card's moment), with or without each card's own voucher.deleted beside it. */
interface CampaignDeletionPlan {
  hour: number;
  offset: number;
  cardTwins: boolean;
}

const isChange = (item: TruthItem): item is Change => item.kind === 'tx' || item.kind === 'derived' || item.kind === 'reward-paid';

/** The card's balance in Voucherify after everything at or before `at` (deletions aside). */
function balanceThen(card: CardTruth, at: number): number {
  let balance = 0;
  for (const item of card.items) if (isChange(item) && Date.parse(item.at) <= at) balance = item.after;
  return balance;
}

/**
 * A deletion is never dated between a reward's snapshot and its later transaction (the card would
 * be shown paid and unpaid at the deletion): such a time moves to the transaction's.
 */
function settledDeletionTime(at: number, cards: CardTruth[]): number {
  for (let moved = true; moved; ) {
    moved = false;
    for (const item of cards.flatMap((c) => c.items)) {
      if (item.kind === 'reward-paid' && Date.parse(item.observedAt) <= at && at < Date.parse(item.at)) {
        at = Date.parse(item.at);
        moved = true;
      }
    }
  }
  return at;
}

const RANK: Record<TruthItem['kind'], number> = { tx: 0, derived: 0, 'reward-paid': 0, snapshot: 1, deletion: 2 };

function addDeletions(seed: string, built: BuiltCard[], cardPlans: (CardDeletionPlan | null)[], campaignPlans: (CampaignDeletionPlan | null)[]): void {
  const added = new Map<BuiltCard, Deletion[]>(built.map((b) => [b, []]));
  const voucherDeleted = (b: BuiltCard, at: number) => {
    const iso = new Date(at).toISOString();
    const balance = balanceThen(b.card, at);
    const webhook = b.webhook('voucher.deleted', iso, {
      voucher: b.voucher(iso, balance),
      campaign: { id: b.card.campaignId, name: `Campaign ${b.card.campaignId.slice(-1)}`, object: 'campaign' },
    });
    added.get(b)!.push({ kind: 'deletion', at: iso, webhook, balance });
  };
  built.forEach((b, i) => {
    const plan = cardPlans[i];
    if (!plan) return;
    const k = plan.at % (b.stepCount + 1);
    voucherDeleted(b, settledDeletionTime(b.timeOf(k) + (plan.sameMoment ? 0 : HOUR / 2), [b.card]));
  });
  campaignPlans.forEach((plan, c) => {
    const members = built.filter((b) => b.card.campaignId === `camp_lt_${c}`);
    if (!plan || members.length === 0) return;
    const at = settledDeletionTime(Date.UTC(2024, 0, 1) + plan.hour * HOUR + plan.offset, members.map((b) => b.card));
    const iso = new Date(at).toISOString();
    const webhook: Webhook = shownById({
      eventId: `evlt_${seed}_c${c}_0`,
      type: 'campaign.deleted',
      envelopeType: 'campaign.deleted',
      createdAt: iso,
      data: { campaign: { id: `camp_lt_${c}`, name: `Campaign ${c}`, campaign_type: 'LOYALTY_PROGRAM', object: 'campaign', updated_at: iso, deleted_at: iso } },
    });
    for (const b of members) {
      added.get(b)!.push({ kind: 'deletion', at: iso, webhook, balance: null });
      if (plan.cardTwins) voucherDeleted(b, at);
    }
  });
  for (const [b, deletions] of added) {
    if (deletions.length === 0) continue;
    b.card.items.push(...deletions);
    // A deletion comes after everything of its moment (its snapshot shows the card then).
    b.card.items.sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || RANK[x.kind] - RANK[y.kind]);
  }
}

function webhooksOf(cards: CardTruth[]): Webhook[] {
  const all = cards.flatMap((c) => c.items.flatMap((item) => ('webhooks' in item ? item.webhooks : [item.webhook])));
  return [...new Map(all.map((w) => [w.eventId, w])).values()];
}

export function ledgerTruthArbitrary(maxCards = 4, maxSteps = 12, options: TruthOptions = {}): fc.Arbitrary<LedgerTruth> {
  const seedArbitrary = fc.integer({ min: 0, max: 0xffffff }).map((n) => n.toString(16).padStart(6, '0'));
  if (!options.deletions && !options.rewardsInPoints && !options.expiryBuckets) {
    return fc.tuple(fc.array(fc.array(stepArbitrary, { minLength: 1, maxLength: maxSteps }), { minLength: 1, maxLength: maxCards }), seedArbitrary).map(([cards, seed]) => {
      const built = cards.map((steps, i) => buildCard(i, steps, seed).card);
      return { cards: built, webhooks: webhooksOf(built) };
    });
  }
  const none = fc.constant(null);
  const cardPlan = fc.record({
    steps: fc.array(stepsOf(options), { minLength: 1, maxLength: maxSteps }),
    deletion: options.deletions ? fc.option(fc.record({ at: fc.nat(), sameMoment: fc.boolean() }), { freq: 3 }) : none,
  });
  const campaignPlan = options.deletions
    ? fc.option(
        fc.record({ hour: fc.integer({ min: 0, max: maxSteps + 1 }), offset: fc.constantFrom(0, 1000, 2000, 3000, HOUR / 2), cardTwins: fc.boolean() }),
        { freq: 4 },
      )
    : none;
  return fc.tuple(fc.array(cardPlan, { minLength: 1, maxLength: maxCards }), fc.tuple(campaignPlan, campaignPlan), seedArbitrary).map(([plans, campaigns, seed]) => {
    const built = plans.map((plan, i) => buildCard(i, plan.steps, seed));
    addDeletions(seed, built, plans.map((p) => p.deletion), campaigns);
    const cards = built.map((b) => b.card);
    return { cards, webhooks: webhooksOf(cards) };
  });
}

export interface ExpectedEntry {
  /** The transaction id; `derived@<time>` for a change seen only in a snapshot (two snapshots of one moment are one change). */
  key: string;
  points: number;
  balanceAfter: number;
  unexplainedBefore: number;
}

/** An expected entry with its time, and its kind and due date where the truth tells them. */
export interface ExpectedEntryInFull extends ExpectedEntry {
  at: string;
  /** Told for transactions, write-offs and rewards paid in points; not for a change seen in a bare snapshot (its kind is the webhook's that showed it first). */
  kind?: string;
  /** Told for transactions: an expiry's due date when a report with its buckets was delivered, else null. */
  dueAt?: string | null;
}

const KIND: Record<string, string> = {
  POINTS_ACCRUAL: 'accrued',
  POINTS_ADDITION: 'added',
  POINTS_EXPIRATION: 'expired',
  POINTS_REMOVAL: 'removed',
  POINTS_REDEMPTION: 'redeemed',
};

const deliveredIn = (delivered: Set<string>) => (w: Webhook) => delivered.has(w.eventId);

/** The deletion the ledger goes by: the earliest delivered one (then the smallest event id); null when none was delivered. */
export function deletionOf(card: CardTruth, delivered: Set<string>): { at: string; eventId: string } | null {
  let found: { at: string; eventId: string } | null = null;
  for (const item of card.items) {
    if (item.kind !== 'deletion' || !delivered.has(item.webhook.eventId)) continue;
    const t = Date.parse(item.at);
    if (!found || t < Date.parse(found.at) || (t === Date.parse(found.at) && item.webhook.eventId < found.eventId)) found = { at: item.at, eventId: item.webhook.eventId };
  }
  return found;
}

/**
 * The ledger the delivered webhooks must give a card, walked in true order: a delivered
 * transaction is one entry (a gap before it when the balance does not follow), a delivered
 * snapshot that moved the balance is a derived entry, a reward paid in points is one `redeemed`
 * entry whichever of its reports arrived, anything not delivered is not there. At the (earliest
 * delivered) deletion the balance is written off (`deleted:<event id>`); after it a transaction
 * is booked from nothing and written off at once (`written_off:<id>`), and a snapshot shows nothing.
 */
export function expectedEntries(card: CardTruth, delivered: Set<string>): ExpectedEntryInFull[] {
  const has = deliveredIn(delivered);
  const entries: ExpectedEntryInFull[] = [];
  const deletion = deletionOf(card, delivered);
  let running = 0;
  let deleted = false;
  const deleteIfPast = (at: number) => {
    if (!deletion || deleted || at <= Date.parse(deletion.at)) return;
    deleted = true;
    if (running !== 0) entries.push({ key: `deleted:${deletion.eventId}`, points: -running, balanceAfter: 0, unexplainedBefore: 0, at: deletion.at, kind: 'written_off' });
    running = 0;
  };
  const book = (key: string, kind: string, points: number, before: number, after: number, at: string, dueAt: string | null) => {
    deleteIfPast(Date.parse(at));
    if (deleted) {
      entries.push({ key, points, balanceAfter: points, unexplainedBefore: 0, at, kind, dueAt });
      entries.push({ key: `written_off:${key}`, points: -points, balanceAfter: 0, unexplainedBefore: 0, at, kind: 'written_off' });
      return;
    }
    entries.push({ key, points, balanceAfter: after, unexplainedBefore: before - running, at, kind, dueAt });
    running = after;
  };
  const observe = (balance: number, at: string) => {
    deleteIfPast(Date.parse(at));
    if (deleted || balance === running) return;
    entries.push({ key: `derived@${at}`, points: balance - running, balanceAfter: balance, unexplainedBefore: 0, at });
    running = balance;
  };
  for (const item of card.items) {
    if (item.kind === 'tx') {
      if (!item.webhooks.some(has)) continue;
      const dueAt = item.due && item.due.eventIds.some((id) => delivered.has(id)) ? item.due.at : null;
      book(item.id, KIND[item.type], item.points, item.before, item.after, item.at, dueAt);
    } else if (item.kind === 'reward-paid') {
      if (item.transaction && item.transaction.webhooks.some(has)) {
        book(item.transaction.id, 'redeemed', item.points, item.before, item.after, item.transaction.at, null);
      } else if (has(item.observation)) {
        // The stated change: what the reward cost, the card after it; anything else before it is unexplained.
        deleteIfPast(Date.parse(item.observedAt));
        if (deleted) continue;
        entries.push({ key: `derived@${item.observedAt}`, points: item.points, balanceAfter: item.after, unexplainedBefore: item.before - running, at: item.observedAt, kind: 'redeemed' });
        running = item.after;
      }
    } else if (item.kind === 'deletion') {
      if (has(item.webhook) && item.balance !== null) observe(item.balance, item.at);
    } else if (has(item.webhook)) {
      observe(item.kind === 'snapshot' ? item.balance : item.after, item.at);
    }
  }
  deleteIfPast(Infinity);
  return entries;
}

/** The expected entries by key, points, balance after and unexplained points. */
export function expectedLedger(card: CardTruth, delivered: Set<string>): ExpectedEntry[] {
  return expectedEntries(card, delivered).map(({ key, points, balanceAfter, unexplainedBefore }) => ({ key, points, balanceAfter, unexplainedBefore }));
}

/**
 * Entries in an order that does not depend on what no fact can tell: transactions dated after the
 * card's deletion are booked from nothing and written off each on its own, so the order of those
 * of one moment is not the truth's (the balances cannot link them). Each such pair (X, written_off:X)
 * of one moment is put in key order; everything else stays where it is.
 */
export function inComparableOrder<T extends { key: string; at: string | null }>(entries: T[]): T[] {
  const blocks: T[][] = [];
  for (let i = 0; i < entries.length; i++) {
    if (entries[i + 1]?.key === `written_off:${entries[i].key}`) blocks.push([entries[i], entries[++i]]);
    else blocks.push([entries[i]]);
  }
  const out: T[] = [];
  for (let i = 0; i < blocks.length; ) {
    let j = i + 1;
    if (blocks[i].length === 2) while (j < blocks.length && blocks[j].length === 2 && blocks[j][0].at === blocks[i][0].at) j++;
    out.push(...blocks.slice(i, j).sort((a, b) => (a[0].key < b[0].key ? -1 : a[0].key > b[0].key ? 1 : 0)).flat());
    i = j;
  }
  return out;
}

/**
 * True when the delivered facts cannot tell the order of one moment's transactions: a webhook is
 * missing before the moment, and the balance it leaves happens to be where a later transaction of
 * the same moment starts (a +244 dropped after a -244, say). Either order explains the balances
 * then, and no ledger can know which is true; such a card is compared by its entries and its
 * final balance, not by their order. (After a deletion nothing is chained: not a question there.)
 */
export function momentIsAmbiguous(card: CardTruth, delivered: Set<string>): boolean {
  let running = 0;
  const deletion = deletionOf(card, delivered);
  const items = deletion ? card.items.filter((i) => Date.parse(i.at) <= Date.parse(deletion.at)) : card.items;
  const has = deliveredIn(delivered);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const moment = items.filter((other) => other.at === item.at && other.kind === 'tx' && other.webhooks.some(has));
    if (item.kind === 'tx' && moment[0] === item && moment.length > 1 && item.before !== running) {
      if (moment.slice(1).some((later) => later.kind === 'tx' && later.before === running)) return true;
    }
    if (item.kind === 'tx' || item.kind === 'reward-paid') {
      if (item.webhooks.some(has)) running = item.after;
    } else if (item.kind === 'deletion') {
      if (has(item.webhook) && item.balance !== null) running = item.balance;
    } else if (has(item.webhook)) {
      running = item.kind === 'snapshot' ? item.balance : item.after;
    }
  }
  return false;
}

/**
 * The card's true balance at a time: after the last change at or before it; null before its first
 * change (a card published at 0 has no ledger entry yet, and "as of" then says it did not exist).
 * From the card's first deletion on (whether delivered or not), 0.
 */
export function trueBalanceAt(card: CardTruth, at: number): number | null {
  let balance: number | null = null;
  const deletions = card.items.filter((i) => i.kind === 'deletion').map((i) => Date.parse(i.at));
  for (const item of card.items) {
    if (Date.parse(item.at) > at) break;
    if (isChange(item)) balance = item.after;
  }
  return balance !== null && deletions.length > 0 && at >= Math.min(...deletions) ? 0 : balance;
}
