import type { PoolClient } from 'pg';
import type { ProjectedEvent } from '../projected-event';
import type { EventRead, KeyedReadModel } from '../read-model';
import { columnNames } from '../sql-rows';
import { Baseline, buildChain, LedgerEntry, LedgerGap } from './ledger-chain';
import { DeletionFact, LedgerFacts, ledgerFactsOf, ObservationFact, TransactionFact } from './ledger-facts';
import { LEDGER_DELETIONS_TABLE, LEDGER_ENTRIES_TABLE, LEDGER_GAPS_TABLE, LEDGER_OBSERVATIONS_TABLE } from './ledger-tables';

/**
 * One card's ledger from `windowStart` on: the facts there (transactions and observations), the
 * last entry before (the baseline), and the entries and gaps they make. A batch only loads and
 * rewrites the part of a chain its events can change: everything at or after its earliest fact.
 */
/** The most event ids an entry names: Voucherify reports a transaction through a handful of webhooks. */
export const MAX_EVENT_IDS = 100;

export interface CardLedger {
  voucherId: string;
  /** How many of `observations` came from the table (the rest are this batch's, to insert). */
  storedObservations: number;
  /** ms since the epoch; -Infinity: the whole chain. */
  windowStart: number;
  baseline: Baseline | null;
  transactions: TransactionFact[];
  observations: ObservationFact[];
  /** The earliest deletion of the card or of its campaign: its balance is written off then. */
  deletion: DeletionFact | null;
  entries: LedgerEntry[];
  gaps: LedgerGap[];
}

/** The earlier of two deletions by time (an unknown time first), then event id: any arrival order keeps the same. */
function earlierDeletion(a: DeletionFact | null, b: DeletionFact | null): DeletionFact | null {
  if (!a || !b) return a ?? b;
  const ta = factTime(a.time.at);
  const tb = factTime(b.time.at);
  return tb < ta || (tb === ta && b.eventId < a.eventId) ? b : a;
}

const factTime = (at: string | null): number => (at === null ? -Infinity : Date.parse(at));

/** Per card, the earliest time a fact of the batch has: where its recomputed window starts. */
function windowStarts(reads: EventRead<LedgerFacts>[]): Map<string, number> {
  const starts = new Map<string, number>();
  const see = (voucherId: string, at: string | null) => {
    const t = factTime(at);
    if (!(starts.get(voucherId)! <= t)) starts.set(voucherId, t);
  };
  for (const { facts, keys } of reads) {
    for (const tx of facts.transactions) see(tx.voucherId, tx.time.at);
    for (const o of facts.observations) see(o.voucherId, o.time.at);
    // A campaign's deletion reaches every card it was given as a key (beforeLoad).
    for (const d of facts.deletions) for (const key of d.voucherId ? [d.voucherId] : keys) see(key, d.time.at);
  }
  return starts;
}

/**
 * A transaction that the ledger may already hold as a change reported without it recomputes the
 * card from that change on: the two are one change, and the derived entry goes (buildChain). A
 * POINTS_REDEMPTION pays a reward seen in `customer.rewarded` (same redemption); a
 * PENDING_POINTS_ACTIVATION is the activation its customer twin reported (same pending entry).
 * One probe, only for batches that hold such a transaction.
 */
async function widenToTwinObservations(client: PoolClient, starts: Map<string, number>, reads: EventRead<LedgerFacts>[]): Promise<void> {
  const pairs = reads.flatMap(({ facts }) =>
    facts.transactions.flatMap((tx) => {
      if (tx.type === 'POINTS_REDEMPTION' && tx.related.redemption_id) return [[tx.voucherId, 'redemption', tx.related.redemption_id]];
      if (tx.type === 'PENDING_POINTS_ACTIVATION' && tx.related.pending_entry_id) return [[tx.voucherId, 'activation', tx.related.pending_entry_id]];
      return [];
    }),
  );
  if (pairs.length === 0) return;
  const { rows } = await client.query({
    name: 'ledger-load-twin-observations',
    text: `SELECT o.voucher_id, min(o.observed_at) AS at FROM ledger_observations o
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS p(voucher_id, kind, id) ON o.voucher_id = p.voucher_id
             AND ((p.kind = 'redemption' AND o.redemption_id = p.id) OR (p.kind = 'activation' AND o.pending_entry_id = p.id))
            GROUP BY o.voucher_id`,
    values: [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2])],
  });
  for (const r of rows) {
    const at = factTime(r.at ? (r.at as Date).toISOString() : null);
    if (at < starts.get(r.voucher_id)!) starts.set(r.voucher_id, at);
  }
}

/** The event's ledger facts and the cards they are about, read once per event and batch. */
export function readLedgerFacts(event: ProjectedEvent): EventRead<LedgerFacts> | null {
  const facts = ledgerFactsOf(event);
  const keys = [
    ...new Set([
      ...facts.transactions.map((t) => t.voucherId),
      ...facts.observations.map((o) => o.voucherId),
      ...facts.deletions.flatMap((d) => (d.voucherId ? [d.voucherId] : [])),
    ]),
  ];
  // A campaign's deletion names no card: beforeLoad gives it the campaign's cards.
  return keys.length === 0 && facts.deletions.length === 0 ? null : { event, keys, facts };
}

/** Adds the event's facts about one card (reads the event: for tests and one-off folds). */
export function evolveLedger(state: CardLedger | undefined, event: ProjectedEvent, voucherId: string): CardLedger {
  const next = withLedgerFacts(state, ledgerFactsOf(event), event.eventId, voucherId);
  return next === state ? next : settleLedger(next);
}

/**
 * Adds an event's facts about one card; the entries and gaps are left as they were, for
 * settleLedger to recompute once for all the facts a batch (or a rebuild's flush) adds.
 */
function withLedgerFacts(state: CardLedger | undefined, facts: LedgerFacts, eventId: string, voucherId: string): CardLedger {
  const current: CardLedger = state ?? {
    voucherId,
    storedObservations: 0,
    windowStart: -Infinity,
    baseline: null,
    transactions: [],
    observations: [],
    deletion: null,
    entries: [],
    gaps: [],
  };
  // A deletion of the card, or of the campaign this card was given for (its key).
  let deletion = current.deletion;
  for (const d of facts.deletions) if (d.voucherId === null || d.voucherId === voucherId) deletion = earlierDeletion(deletion, d);
  let transactions = current.transactions;
  let observations = current.observations;
  for (const tx of facts.transactions.filter((t) => t.voucherId === voucherId)) {
    const known = transactions.find((t) => t.transactionId === tx.transactionId);
    if (known?.eventIds.includes(eventId)) continue;
    // At most MAX_EVENT_IDS reports are named (the smallest ids: the same whatever the arrival
    // order): a sender repeating one transaction in endless new events cannot grow its row.
    if (known && known.eventIds.length >= MAX_EVENT_IDS && eventId > known.eventIds[MAX_EVENT_IDS - 1]) continue;
    // Every webhook that reported the transaction is kept on its entry; the figures are the
    // same in each report, and the report with the smallest event id is the one kept.
    const eventIds = [...(known?.eventIds ?? []), eventId].sort().slice(0, MAX_EVENT_IDS);
    const source = known && known.eventIds[0] < eventId ? known : tx;
    // Only the points_expired report tells an expiry's due date: kept whichever report is, the earlier if two differ.
    const dueAt = [known?.dueAt ?? null, tx.dueAt].filter((d): d is string => d !== null).sort()[0] ?? null;
    transactions = [...transactions.filter((t) => t !== known), { ...source, eventIds, dueAt }];
  }
  for (const o of facts.observations.filter((f) => f.voucherId === voucherId)) {
    if (observations.some((known) => known.eventId === o.eventId)) continue;
    observations = [...observations, o];
  }
  if (transactions === current.transactions && observations === current.observations && deletion === current.deletion && state && facts.deletions.length === 0) return state;
  return { ...current, transactions, observations, deletion };
}

/** The card's entries and gaps, from its facts in the window (what withLedgerFacts leaves to do). */
export function settleLedger(ledger: CardLedger): CardLedger {
  const { entries, gaps } = buildChain(ledger.voucherId, ledger.baseline, ledger.transactions, ledger.observations, ledger.deletion, ledger.windowStart);
  return { ...ledger, entries, gaps };
}

const fromTransactionRow = (entry: LedgerEntry): TransactionFact => ({
  transactionId: entry.transactionId!,
  voucherId: entry.voucherId,
  campaignId: entry.campaignId,
  type: entry.transactionType ?? 'UNKNOWN',
  unit: entry.unit,
  points: entry.points,
  balanceAfter: entry.statedBalanceAfter,
  time: { at: entry.occurredAt, untrusted: entry.occurredAtUntrusted },
  reason: entry.reason,
  related: entry.related,
  eventIds: entry.eventIds,
  eventType: entry.eventType,
  dueAt: entry.dueAt,
});


/**
 * The window of each card: one lateral probe per card on (voucher_id, time) indexes, so a batch
 * reads what it touches and nothing else. A window starting at -infinity (null) is the whole chain.
 */
async function loadWindows(client: PoolClient, cards: string[], starts: (string | null)[]) {
  const params = [cards, starts];
  const window = `w AS (SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS w(voucher_id, start_at))`;
  const inWindow = (column: string) => `(w.start_at IS NULL OR ${column} >= w.start_at)`;
  const [baselines, transactions, observations] = await Promise.all([
    client.query({
      name: 'ledger-load-baselines',
      text: `WITH ${window}
        SELECT b.* FROM w CROSS JOIN LATERAL (
          SELECT ${columnNames(LEDGER_ENTRIES_TABLE.columns)} FROM ledger_entries e
          WHERE e.voucher_id = w.voucher_id AND w.start_at IS NOT NULL AND (e.occurred_at < w.start_at OR e.occurred_at IS NULL)
          ORDER BY e.occurred_at DESC NULLS LAST, e.seq DESC LIMIT 1) b`,
      values: params,
    }),
    client.query({
      name: 'ledger-load-transactions',
      text: `WITH ${window}
        SELECT e.* FROM w CROSS JOIN LATERAL (
          SELECT ${columnNames(LEDGER_ENTRIES_TABLE.columns)} FROM ledger_entries e
          WHERE e.voucher_id = w.voucher_id AND NOT e.derived AND ${inWindow('e.occurred_at')}) e`,
      values: params,
    }),
    client.query({
      name: 'ledger-load-observations',
      text: `WITH ${window}
        SELECT o.* FROM w CROSS JOIN LATERAL (
          SELECT ${columnNames(LEDGER_OBSERVATIONS_TABLE.columns)} FROM ledger_observations o
          WHERE o.voucher_id = w.voucher_id AND ${inWindow('o.observed_at')}) o`,
      values: params,
    }),
  ]);
  return {
    baselines: baselines.rows.map(LEDGER_ENTRIES_TABLE.fromRow),
    transactions: transactions.rows.map(LEDGER_ENTRIES_TABLE.fromRow),
    observations: observations.rows.map(LEDGER_OBSERVATIONS_TABLE.fromRow),
  };
}

const DELETION_COLUMNS = LEDGER_DELETIONS_TABLE.columns.map((c) => `d.${c.name}`).join(', ');

/**
 * Each card's deletions, whatever their time (a deletion before the window still deletes it): its
 * own, and its campaign's. The card's campaign is what the batch's facts and the loaded window
 * name: index probes on ledger_deletions only, nothing scanned per card on the projection's path.
 */
async function loadDeletions(
  client: PoolClient,
  cards: string[],
  reads: EventRead<LedgerFacts>[],
  window: { transactions: LedgerEntry[]; observations: ObservationFact[] },
): Promise<{ voucherId: string; deletion: DeletionFact }[]> {
  if (cards.length === 0) return [];
  const campaignsOf = new Map<string, Set<string>>();
  const note = (voucherId: string, campaignId: string | null) => campaignId && (campaignsOf.get(voucherId) ?? campaignsOf.set(voucherId, new Set()).get(voucherId)!).add(campaignId);
  for (const { facts, keys } of reads) {
    for (const tx of facts.transactions) note(tx.voucherId, tx.campaignId);
    for (const o of facts.observations) note(o.voucherId, o.campaignId);
    for (const d of facts.deletions) if (d.voucherId === null) for (const key of keys) note(key, d.campaignId);
  }
  for (const e of window.transactions) note(e.voucherId, e.campaignId);
  for (const o of window.observations) note(o.voucherId, o.campaignId);
  const campaigns = [...new Set([...campaignsOf.values()].flatMap((c) => [...c]))];
  const { rows } = await client.query({
    name: 'ledger-load-deletions',
    text: `SELECT ${DELETION_COLUMNS} FROM ledger_deletions d
           WHERE d.voucher_id = ANY($1::text[]) OR (d.voucher_id IS NULL AND d.campaign_id = ANY($2::text[]))`,
    values: [cards, campaigns],
  });
  const found: { voucherId: string; deletion: DeletionFact }[] = [];
  for (const row of rows) {
    const deletion = LEDGER_DELETIONS_TABLE.fromRow(row);
    if (deletion.voucherId !== null) found.push({ voucherId: deletion.voucherId, deletion });
    else for (const card of cards) if (campaignsOf.get(card)?.has(deletion.campaignId!)) found.push({ voucherId: card, deletion });
  }
  return found;
}

export const ledgerReadModel: KeyedReadModel<CardLedger, LedgerFacts> = {
  name: 'ledger',
  tables: ['ledger_entries', 'ledger_observations', 'ledger_gaps', 'ledger_deletions'],
  read: readLedgerFacts,
  /**
   * The batch's deletions are stored first (facts: a card that comes later finds its campaign's),
   * and a campaign's deletion is given the campaign's cards the ledger knows as its keys.
   */
  async beforeLoad(client, reads) {
    const deletions = reads.flatMap((r) => r.facts.deletions);
    if (deletions.length === 0) return;
    await LEDGER_DELETIONS_TABLE.upsert(client, deletions);
    const campaigns = [...new Set(deletions.flatMap((d) => (d.voucherId === null && d.campaignId ? [d.campaignId] : [])))];
    if (campaigns.length === 0) return;
    const { rows } = await client.query({
      name: 'ledger-cards-of-campaigns',
      text: `SELECT DISTINCT campaign_id, voucher_id FROM ledger_entries WHERE campaign_id = ANY($1::text[])
             UNION SELECT DISTINCT campaign_id, voucher_id FROM ledger_observations WHERE campaign_id = ANY($1::text[])`,
      values: [campaigns],
    });
    for (const read of reads) {
      for (const d of read.facts.deletions) {
        if (d.voucherId !== null) continue;
        read.keys = [...new Set([...read.keys, ...rows.filter((r) => r.campaign_id === d.campaignId).map((r) => r.voucher_id as string)])];
      }
    }
  },
  evolve: (state, { event, facts }, voucherId) => {
    const next = withLedgerFacts(state, facts, event.eventId, voucherId);
    return next === state ? next : settleLedger(next);
  },
  // Each event adds facts; the chain is built once per card and batch, before the card is written.
  accumulate: (state, { event, facts }, voucherId) => withLedgerFacts(state, facts, event.eventId, voucherId),
  settle: settleLedger,
  // A rebuild's fold keeps a card's ledger in memory while each new fact falls in the window it
  // holds (the whole chain, for a card built in memory), and a twin that may pair with an
  // observation before the window would widen it: loaded again instead.
  foldsInto(ledger, { facts }, voucherId) {
    if (ledger.windowStart === -Infinity) return true;
    const times = [
      ...facts.transactions.filter((t) => t.voucherId === voucherId).map((t) => t.time.at),
      ...facts.observations.filter((o) => o.voucherId === voucherId).map((o) => o.time.at),
      ...facts.deletions.map((d) => d.time.at),
    ];
    const twin = facts.transactions.some((t) => t.type === 'POINTS_REDEMPTION' || t.type === 'PENDING_POINTS_ACTIVATION');
    return !twin && times.every((at) => factTime(at) >= ledger.windowStart);
  },
  // A campaign's deletion finds the campaign's cards in the tables (beforeLoad).
  needsStored: ({ facts }) => facts.deletions.some((d) => d.voucherId === null),
  async load(client, keys, reads) {
    const starts = windowStarts(reads);
    await widenToTwinObservations(client, starts, reads);
    const cards = keys.filter((k) => starts.has(k));
    const startAt = cards.map((k) => (starts.get(k) === -Infinity ? null : new Date(starts.get(k)!).toISOString()));
    const loaded = await loadWindows(client, cards, startAt);
    const ledgers = new Map<string, CardLedger>(
      cards.map((voucherId) => [
        voucherId,
        { voucherId, storedObservations: 0, windowStart: starts.get(voucherId)!, baseline: null, transactions: [], observations: [], deletion: null, entries: [], gaps: [] },
      ]),
    );
    for (const b of loaded.baselines) {
      ledgers.get(b.voucherId)!.baseline = {
        entryKey: b.entryKey,
        occurredAt: b.occurredAt,
        seq: b.seq,
        balanceAfter: b.balanceAfter,
        counters: b.counters,
      };
    }
    for (const e of loaded.transactions) ledgers.get(e.voucherId)!.transactions.push(fromTransactionRow(e));
    for (const o of loaded.observations) ledgers.get(o.voucherId)!.observations.push(o);
    for (const ledger of ledgers.values()) ledger.storedObservations = ledger.observations.length;
    for (const { voucherId, deletion } of await loadDeletions(client, cards, reads, loaded)) {
      const ledger = ledgers.get(voucherId)!;
      ledger.deletion = earlierDeletion(ledger.deletion, deletion);
    }
    return ledgers;
  },
  async save(client, changed) {
    const ledgers = [...changed.values()];
    const cards = ledgers.map((l) => l.voucherId);
    const starts = ledgers.map((l) => (l.windowStart === -Infinity ? null : new Date(l.windowStart).toISOString()));
    // The window is rewritten whole: derived entries that a late transaction explains, and gaps
    // it closes, must go.
    for (const [table, column] of [
      ['ledger_entries', 'occurred_at'],
      ['ledger_gaps', 'to_at'],
    ]) {
      await client.query({
        name: `ledger-clear-${table}`,
        // Planned as a nested loop over the cards, an index probe each (checked with EXPLAIN).
        text: `DELETE FROM ${table} t USING unnest($1::text[], $2::timestamptz[]) AS w(voucher_id, start_at)
               WHERE t.voucher_id = w.voucher_id AND (w.start_at IS NULL OR t.${column} >= w.start_at)`,
        values: [cards, starts],
      });
    }
    await LEDGER_ENTRIES_TABLE.upsert(client, ledgers.flatMap((l) => l.entries));
    await LEDGER_GAPS_TABLE.upsert(client, ledgers.flatMap((l) => l.gaps));
    // Observations are facts: only this batch's new ones are written.
    await LEDGER_OBSERVATIONS_TABLE.upsert(client, ledgers.flatMap((l) => l.observations.slice(l.storedObservations)));
  },
};
