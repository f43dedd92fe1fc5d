import type { DeletionFact, ObservationFact, TransactionFact } from './ledger-facts';

/** The movements of a period report, one kind per entry. */
export const MOVEMENT_KINDS = [
  'accrued',
  'added',
  'removed',
  'redeemed',
  'refunded',
  'expired',
  'transferred_in',
  'transferred_out',
  'pending_activated',
  'written_off',
  'other',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

const KIND_BY_TRANSACTION_TYPE: Record<string, MovementKind> = {
  POINTS_ACCRUAL: 'accrued',
  POINTS_ADDITION: 'added',
  POINTS_REMOVAL: 'removed',
  POINTS_REDEMPTION: 'redeemed',
  POINTS_REFUND: 'refunded',
  POINTS_EXPIRATION: 'expired',
  POINTS_TRANSFER_IN: 'transferred_in',
  POINTS_TRANSFER_OUT: 'transferred_out',
  PENDING_POINTS_ACTIVATION: 'pending_activated',
  CREDITS_ADDITION: 'added',
  CREDITS_REMOVAL: 'removed',
  CREDITS_REDEMPTION: 'redeemed',
  CREDITS_REFUND: 'refunded',
};

/** A change seen only as a snapshot that moved: its kind from what the event was about. */
function derivedKind(eventType: string, points: number): MovementKind {
  if (/reward_redemptions|^redemption\.(succeeded|failed)/.test(eventType)) return points < 0 ? 'redeemed' : 'other';
  // A reward paid in points (customer.rewarded; customer.rewarded.loyalty_points is points given).
  if (eventType === 'customer.rewarded') return points < 0 ? 'redeemed' : points > 0 ? 'added' : 'other';
  // The customer twin of an activation: pending points moved to the card.
  if (/pending_points\.activated/.test(eventType)) return points > 0 ? 'pending_activated' : 'other';
  if (/rollback/.test(eventType)) return points > 0 ? 'refunded' : 'other';
  if (/points_expired/.test(eventType)) return points < 0 ? 'expired' : 'other';
  if (/rewarded|points_added|balance_added/.test(eventType)) return points > 0 ? 'added' : 'other';
  return 'other';
}

/**
 * Running totals after an entry, kept so that balance = total − redeemed − expired − subtracted
 * holds at every entry by construction, and "as of" is one row.
 */
export interface Counters {
  total: number;
  redeemed: number;
  expired: number;
  subtracted: number;
}

export const ZERO_COUNTERS: Counters = { total: 0, redeemed: 0, expired: 0, subtracted: 0 };

function count(counters: Counters, kind: MovementKind | 'unexplained', points: number): Counters {
  const next = { ...counters };
  if (kind === 'redeemed') next.redeemed -= points;
  else if (kind === 'refunded') next.redeemed -= points;
  else if (kind === 'expired') next.expired -= points;
  else if (kind === 'removed' || kind === 'transferred_out') next.subtracted -= points;
  else if (points >= 0) next.total += points;
  else next.subtracted -= points;
  return next;
}

export interface LedgerEntry {
  voucherId: string;
  /** The transaction id, or `derived:<event id>` for a change seen only in a snapshot. */
  entryKey: string;
  transactionId: string | null;
  transactionType: string | null;
  unit: 'points' | 'credits';
  kind: MovementKind;
  /** Signed change; null when the payload's figure could not be read (the chain then skips it). */
  points: number | null;
  /** The balance the transaction stated after itself (transaction entries); null when unreadable. */
  statedBalanceAfter: number | null;
  balanceBefore: number;
  balanceAfter: number;
  /** Points no entry explains just before this one (a gap, when not 0). */
  gapBefore: number;
  occurredAt: string | null;
  occurredAtUntrusted: boolean;
  /** An expiry's due date (its buckets' expires_at); null for anything else or when not told. */
  dueAt: string | null;
  /** Position in the card's chain (1, 2, ...). */
  seq: number;
  reason: string | null;
  related: Record<string, string>;
  eventIds: string[];
  /** The type of the webhook the entry's figures come from. */
  eventType: string;
  derived: boolean;
  campaignId: string | null;
  counters: Counters;
}

/** A break in a card's chain: a webhook is missing between two entries. */
export interface LedgerGap {
  voucherId: string;
  /** The entry after the gap. */
  entryKey: string;
  /** The entry before it (null: the gap opens the card's known history). */
  afterEntryKey: string | null;
  points: number;
  fromAt: string | null;
  toAt: string | null;
  campaignId: string | null;
}

/** The last entry before the part of the chain being recomputed. */
export interface Baseline {
  entryKey: string;
  occurredAt: string | null;
  seq: number;
  balanceAfter: number;
  counters: Counters;
}

const timeOf = (at: string | null): number => (at === null ? -Infinity : Date.parse(at));

const readable = (tx: TransactionFact) => tx.points !== null && tx.balanceAfter !== null;
const balanceBefore = (tx: TransactionFact) => tx.balanceAfter! - tx.points!;
const byTransactionId = (a: TransactionFact, b: TransactionFact) => (a.transactionId < b.transactionId ? -1 : 1);
const byEventId = (a: ObservationFact, b: ObservationFact) => (a.eventId < b.eventId ? -1 : 1);
/**
 * A change reported without its transaction that its own transaction replaces when it arrives (a
 * reward paid in points, an activation's customer twin): only that transaction explains it, never
 * a balance that happens to be the running one (a change missing before it can leave exactly that).
 */
const hasTwin = (o: ObservationFact) => o.redemptionId !== null || o.pendingEntryId !== null;
/** At one moment a stated change goes before a bare snapshot: it says what the change was, the snapshot only where it ended. */
const statedFirst = (a: ObservationFact, b: ObservationFact) => Number(b.delta !== undefined) - Number(a.delta !== undefined) || byEventId(a, b);

/**
 * The transactions and snapshots of one moment (one source time), indexed by the balances that
 * link them, so ordering a moment costs about its size even when a sender puts thousands of
 * changes at one time (a linear search per step would be quadratic, and freeze the card).
 */
class Moment {
  private readonly transactions: TransactionFact[];
  private readonly observations: ObservationFact[];
  private readonly followersOf = new Map<number, TransactionFact[]>();
  private readonly pendingAfters = new Map<number, number>();
  private readonly snapshotsAt = new Map<number, ObservationFact[]>();
  private readonly done = new Set<TransactionFact | ObservationFact>();

  constructor(group: Item[]) {
    this.transactions = group.flatMap((i) => ('tx' in i ? [i.tx] : [])).sort(byTransactionId);
    this.observations = group.flatMap((i) => ('observation' in i ? [i.observation] : [])).sort(statedFirst);
    for (const tx of this.transactions.filter(readable)) {
      push(this.followersOf, balanceBefore(tx), tx);
      this.pendingAfters.set(tx.balanceAfter!, (this.pendingAfters.get(tx.balanceAfter!) ?? 0) + 1);
    }
    for (const o of this.observations) if (o.balance !== null && !hasTwin(o)) push(this.snapshotsAt, o.balance, o);
  }

  /** Snapshots whose balance is `running` are explained: they make no entry. */
  dropExplained(running: number): void {
    for (const o of this.snapshotsAt.get(running) ?? []) this.done.add(o);
    this.snapshotsAt.delete(running);
  }

  /** The first transaction (by id) whose balance before is `running`. */
  takeFollowing(running: number): TransactionFact | undefined {
    const tx = (this.followersOf.get(running) ?? []).find((t) => !this.done.has(t));
    return tx && this.take(tx);
  }

  /** The first snapshot (stated changes first, then by event id) whose balance a pending transaction starts from. */
  takeBridge(): ObservationFact | undefined {
    const bridge = this.observations.find(
      (o) => !this.done.has(o) && o.balance !== null && (this.followersOf.get(o.balance) ?? []).some((t) => !this.done.has(t)),
    );
    if (bridge) this.done.add(bridge);
    return bridge;
  }

  /** The first pending transaction (by id) that no other pending one leads to, else the first. */
  takeHead(): TransactionFact | undefined {
    const pending = this.transactions.filter((t) => !this.done.has(t));
    const ledTo = (t: TransactionFact) => {
      if (!readable(t)) return false;
      const count = this.pendingAfters.get(balanceBefore(t)) ?? 0;
      return count > (t.points === 0 ? 1 : 0); // a change of 0 leads to itself
    };
    const head = pending.find((t) => !ledTo(t)) ?? pending[0];
    return head && this.take(head);
  }

  remainingObservations(): ObservationFact[] {
    return this.observations.filter((o) => !this.done.has(o));
  }

  private take(tx: TransactionFact): TransactionFact {
    this.done.add(tx);
    if (readable(tx)) this.pendingAfters.set(tx.balanceAfter!, this.pendingAfters.get(tx.balanceAfter!)! - 1);
    return tx;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type Item = { tx: TransactionFact } | { observation: ObservationFact };
const itemTime = (item: Item) => timeOf('tx' in item ? item.tx.time.at : item.observation.time.at);

/**
 * The card's chain from `baseline` on, rebuilt from its facts (pure). Facts are walked in source
 * time; at one time the balance chain decides the order (the transaction whose balance before is
 * the running balance goes first; a snapshot goes where its balance is the running balance), so
 * the result never depends on arrival order or on event ids. A snapshot or stated change that the
 * running balance does not explain becomes a derived entry; a transaction whose balance before is
 * not the running balance opens a gap.
 */
export function buildChain(
  voucherId: string,
  baseline: Baseline | null,
  transactions: TransactionFact[],
  observations: ObservationFact[],
  deletion: DeletionFact | null = null,
  windowStart = -Infinity,
): { entries: LedgerEntry[]; gaps: LedgerGap[] } {
  const entries: LedgerEntry[] = [];
  const gaps: LedgerGap[] = [];
  let running = baseline?.balanceAfter ?? 0;
  let counters = baseline?.counters ?? ZERO_COUNTERS;
  let seq = baseline?.seq ?? 0;
  let previous: { key: string; at: string | null } | null = baseline ? { key: baseline.entryKey, at: baseline.occurredAt } : null;
  // A deletion before the window was written off by an earlier pass: the card is deleted from its start.
  let deleted = deletion !== null && timeOf(deletion.time.at) < windowStart;
  const deletionInWindow = deletion !== null && !deleted ? deletion : null;

  const emit = (entry: Omit<LedgerEntry, 'seq' | 'counters' | 'balanceBefore' | 'balanceAfter' | 'voucherId'>, before: number) => {
    book(entry, before);
    // A deleted card keeps what arrives late, shown, and never holds points again: each is written off.
    if (deleted && running !== 0) writeOff(`written_off:${entry.entryKey}`, entry.occurredAt, entry.occurredAtUntrusted, entry.eventIds, entry.campaignId);
  };

  /** The card's points are gone with it (Voucherify's deletion is final): its balance is written off. */
  const writeOff = (entryKey: string, at: string | null, untrusted: boolean, eventIds: string[], campaignId: string | null) => {
    book(
      {
        entryKey,
        transactionId: null,
        transactionType: null,
        unit: entries[entries.length - 1]?.unit ?? 'points',
        kind: 'written_off',
        points: -running,
        statedBalanceAfter: 0,
        gapBefore: 0,
        occurredAt: at,
        occurredAtUntrusted: untrusted,
        dueAt: null,
        reason: deletion?.voucherId ? 'card deleted: its balance is written off' : 'campaign deleted: the balance is written off',
        related: {},
        eventIds,
        eventType: deletion?.voucherId ? 'voucher.deleted' : 'campaign.deleted',
        derived: true,
        campaignId,
      },
      running,
    );
  };

  const book = (entry: Omit<LedgerEntry, 'seq' | 'counters' | 'balanceBefore' | 'balanceAfter' | 'voucherId'>, before: number) => {
    if (entry.gapBefore !== 0) {
      gaps.push({
        voucherId,
        entryKey: entry.entryKey,
        afterEntryKey: previous?.key ?? null,
        points: entry.gapBefore,
        fromAt: previous?.at ?? null,
        toAt: entry.occurredAt,
        campaignId: entry.campaignId,
      });
      counters = count(counters, 'unexplained', entry.gapBefore);
    }
    const after = entry.points === null ? before : before + entry.points;
    if (entry.points !== null) counters = count(counters, entry.kind, entry.points);
    entries.push({ ...entry, voucherId, seq: ++seq, balanceBefore: before, balanceAfter: after, counters });
    previous = { key: entry.entryKey, at: entry.occurredAt };
    running = after;
  };

  /**
   * A snapshot or stated change the running balance does not explain. A stated change is the
   * change itself, and anything beyond it is unexplained; a snapshot is only a balance: the whole
   * difference is the derived change. A figure that cannot be read is kept visible as an entry
   * with unknown points that moves nothing.
   */
  const emitObservation = (o: ObservationFact) => {
    // After its deletion a card has no balance to observe: a later snapshot explains nothing.
    if (deleted || (o.balance === running && !hasTwin(o))) return;
    const delta = o.delta !== undefined && o.delta !== null ? o.delta : null;
    const points = o.balance === null ? delta : delta ?? o.balance - running;
    const gap = o.balance === null || points === null ? 0 : o.balance - points - running;
    emit(
      {
        entryKey: `derived:${o.eventId}`,
        transactionId: null,
        transactionType: null,
        unit: o.unit,
        kind: points === null ? 'other' : derivedKind(o.eventType, points),
        points,
        statedBalanceAfter: o.balance,
        gapBefore: gap,
        occurredAt: o.time.at,
        occurredAtUntrusted: o.time.untrusted,
        dueAt: null,
        reason: o.redemptionId ? `reward paid in points, seen in ${o.eventType}` : o.pendingEntryId ? `pending points activated, seen in ${o.eventType}` : `seen in ${o.eventType}`,
        related: { ...(o.redemptionId ? { redemption_id: o.redemptionId } : {}), ...(o.pendingEntryId ? { pending_entry_id: o.pendingEntryId } : {}) },
        eventIds: [o.eventId],
        eventType: o.eventType,
        derived: true,
        campaignId: o.campaignId,
      },
      running + gap,
    );
  };

  // A reward paid in points that its own POINTS_REDEMPTION transaction reports too is that transaction.
  const redemptionsReported = new Set(transactions.flatMap((tx) => (tx.type === 'POINTS_REDEMPTION' && tx.related.redemption_id ? [tx.related.redemption_id] : [])));
  // So is an activation reported without its transaction, when the transaction of the same pending entry arrives.
  const activationsReported = new Set(transactions.flatMap((tx) => (tx.type === 'PENDING_POINTS_ACTIVATION' && tx.related.pending_entry_id ? [tx.related.pending_entry_id] : [])));
  // Two reports of one reward payment (or activation) without their transaction are one change: the smallest event id's.
  const firstReport = new Map<string, ObservationFact>();
  for (const o of observations) {
    const key = o.redemptionId !== null ? `r:${o.redemptionId}` : o.pendingEntryId !== null ? `p:${o.pendingEntryId}` : null;
    const known = key === null ? undefined : firstReport.get(key);
    if (key !== null && (!known || o.eventId < known.eventId)) firstReport.set(key, o);
  }
  const observed = observations.filter(
    (o) =>
      (o.redemptionId === null || (!redemptionsReported.has(o.redemptionId) && firstReport.get(`r:${o.redemptionId}`) === o)) &&
      (o.pendingEntryId === null || (!activationsReported.has(o.pendingEntryId) && firstReport.get(`p:${o.pendingEntryId}`) === o)),
  );
  const items: Item[] = [...transactions.map((tx) => ({ tx })), ...observed.map((observation) => ({ observation }))];
  items.sort((a, b) => itemTime(a) - itemTime(b));
  const deletionTime = deletionInWindow ? timeOf(deletionInWindow.time.at) : Infinity;
  const deleteNow = () => {
    deleted = true;
    const d = deletionInWindow!;
    if (running !== 0) writeOff(`deleted:${d.eventId}`, d.time.at, d.time.untrusted, [d.eventId], entries[entries.length - 1]?.campaignId ?? d.campaignId);
  };

  for (let start = 0; start < items.length; ) {
    let end = start;
    while (end < items.length && itemTime(items[end]) === itemTime(items[start])) end++;
    const group = items.slice(start, end);
    start = end;
    // The deletion comes after everything of its own moment (the snapshot it is sent with shows the card then).
    if (!deleted && deletionTime < itemTime(group[0])) deleteNow();
    const moment = new Moment(group);
    for (;;) {
      // A snapshot whose balance is the running balance is explained by the entries so far.
      moment.dropExplained(running);
      let tx = moment.takeFollowing(running);
      if (!tx) {
        // No transaction follows the running balance, but a snapshot of this moment leads to one:
        // the change it shows came first (a reward paid in points, then a transaction).
        const bridge = moment.takeBridge();
        if (bridge) {
          emitObservation(bridge);
          continue;
        }
        // A break in the chain either way: start with the transaction no other one leads to, so
        // the transactions of this moment stay in their own chain order after the gap.
        tx = moment.takeHead();
      }
      if (!tx) break;
      // After the deletion a late transaction is booked from nothing (no gap: the card holds no
      // balance any more) and written off at once.
      const ok = readable(tx);
      const chained = ok && !deleted;
      emit(
        {
          entryKey: tx.transactionId,
          transactionId: tx.transactionId,
          transactionType: tx.type,
          unit: tx.unit,
          kind: KIND_BY_TRANSACTION_TYPE[tx.type] ?? 'other',
          points: ok ? tx.points : null,
          statedBalanceAfter: tx.balanceAfter,
          gapBefore: chained ? balanceBefore(tx) - running : 0,
          occurredAt: tx.time.at,
          occurredAtUntrusted: tx.time.untrusted,
          dueAt: tx.dueAt,
          reason: tx.reason,
          related: tx.related,
          eventIds: tx.eventIds,
          eventType: tx.eventType,
          derived: false,
          campaignId: tx.campaignId,
        },
        chained ? balanceBefore(tx) : running,
      );
    }
    moment.dropExplained(running);
    for (const o of moment.remainingObservations()) emitObservation(o);
  }
  if (deletionInWindow && !deleted) deleteNow();
  return { entries, gaps };
}
