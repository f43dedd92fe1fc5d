import type { Pool } from 'pg';
import { columnNames } from '../sql-rows';
import type { LedgerEntry, LedgerGap } from './ledger-chain';
import { LEDGER_ENTRIES_TABLE, LEDGER_GAPS_TABLE } from './ledger-tables';

/** The API's view of a ledger entry (snake_case, like Voucherify). */
export function presentEntry(e: LedgerEntry) {
  return {
    voucher_id: e.voucherId,
    transaction_id: e.transactionId,
    transaction_type: e.transactionType,
    kind: e.kind,
    unit: e.unit,
    points: e.points,
    // Null points: the payload's figure was not a safe integer; the chain went on without it.
    points_unreadable: e.points === null,
    // An entry whose figure could not be read moved nothing it can show: its balances are unknown
    // (the chain goes on from the last known balance).
    balance_before: e.points === null ? null : e.balanceBefore,
    balance_after: e.points === null ? null : e.balanceAfter,
    // Points no entry explains just before this one: a webhook is missing (see the card's gaps).
    unexplained_before: e.gapBefore,
    occurred_at: e.occurredAt,
    source_time_untrusted: e.occurredAtUntrusted,
    reason: e.reason,
    related: e.related,
    event_ids: e.eventIds,
    derived: e.derived,
    campaign_id: e.campaignId,
  };
}

export function presentGap(g: LedgerGap) {
  return {
    voucher_id: g.voucherId,
    campaign_id: g.campaignId,
    points: g.points,
    after_entry: g.afterEntryKey,
    before_entry: g.entryKey,
    from: g.fromAt,
    to: g.toAt,
  };
}

const ENTRY_COLUMNS = columnNames(LEDGER_ENTRIES_TABLE.columns);

export interface LedgerPageQuery {
  voucherId: string;
  from?: string;
  to?: string;
  limit: number;
  /** Entries strictly older than this place in the chain. */
  before?: { at: string | null; seq: number };
}

/**
 * A card's entries, newest first: in chain order, which is source-time order with the balance
 * chain deciding at equal times. `from` is inclusive, `to` exclusive.
 */
export async function ledgerPage(pool: Pool, query: LedgerPageQuery) {
  const result = await pool.query({
    name: 'ledger-page',
    text: `SELECT ${ENTRY_COLUMNS} FROM ledger_entries
           WHERE voucher_id = $1
             AND ($2::timestamptz IS NULL OR occurred_at >= $2)
             AND ($3::timestamptz IS NULL OR occurred_at < $3 OR occurred_at IS NULL)
             AND ($5::boolean IS NOT TRUE OR (occurred_at, seq) < ($6::timestamptz, $7::int)
                  OR (occurred_at IS NULL AND ($6::timestamptz IS NOT NULL OR seq < $7::int)))
           ORDER BY occurred_at DESC NULLS LAST, seq DESC
           LIMIT $4`,
    values: [
      query.voucherId,
      query.from ?? null,
      query.to ?? null,
      query.limit + 1,
      query.before !== undefined,
      query.before?.at ?? null,
      query.before?.seq ?? null,
    ],
  });
  const entries = result.rows.map(LEDGER_ENTRIES_TABLE.fromRow);
  const more = entries.length > query.limit;
  const page = entries.slice(0, query.limit);
  const last = page[page.length - 1];
  return { entries: page, next: more && last ? { at: last.occurredAt, seq: last.seq } : null };
}

export async function cardGaps(pool: Pool, voucherId: string): Promise<LedgerGap[]> {
  const result = await pool.query({
    name: 'ledger-card-gaps',
    text: `SELECT ${columnNames(LEDGER_GAPS_TABLE.columns)} FROM ledger_gaps WHERE voucher_id = $1 ORDER BY to_at NULLS FIRST, entry_key`,
    values: [voucherId],
  });
  return result.rows.map(LEDGER_GAPS_TABLE.fromRow);
}

export interface GapsPageQuery {
  campaignId?: string;
  limit: number;
  after?: { voucherId: string; entryKey: string };
}

/** Open gaps of every card (or one campaign's), by card, cursor-paginated. */
export async function gapsPage(pool: Pool, query: GapsPageQuery) {
  const result = await pool.query({
    name: 'ledger-gaps-page',
    text: `SELECT ${columnNames(LEDGER_GAPS_TABLE.columns)} FROM ledger_gaps
           WHERE ($1::text IS NULL OR campaign_id = $1)
             AND ($2::text IS NULL OR (voucher_id, entry_key) > ($2, $3::text))
           ORDER BY voucher_id, entry_key
           LIMIT $4`,
    values: [query.campaignId ?? null, query.after?.voucherId ?? null, query.after?.entryKey ?? null, query.limit + 1],
  });
  const gaps = result.rows.map(LEDGER_GAPS_TABLE.fromRow);
  const page = gaps.slice(0, query.limit);
  const last = page[page.length - 1];
  return { gaps: page, next: gaps.length > query.limit && last ? { voucherId: last.voucherId, entryKey: last.entryKey } : null };
}

/** Cards with open gaps and the points they leave unexplained (for the metrics gauge). */
export async function openGapTotals(pool: Pool): Promise<{ cards: number; points: number }> {
  const result = await pool.query({
    name: 'ledger-open-gap-totals',
    text: `SELECT count(DISTINCT voucher_id)::bigint AS cards, COALESCE(sum(abs(points)), 0)::bigint AS points FROM ledger_gaps`,
    values: [],
  });
  return { cards: Number(result.rows[0].cards), points: Number(result.rows[0].points) };
}

/** Whether any card has an open gap (the scheduled reconciliation runs only then). */
export async function anyOpenGap(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query(`SELECT 1 FROM ledger_gaps LIMIT 1`);
  return rows.length > 0;
}

/** Every campaign with an open gap, in id order (reconciliation's --gaps-only). */
export async function campaignsWithGaps(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ campaign_id: string }>(
    `SELECT DISTINCT campaign_id FROM ledger_gaps WHERE campaign_id IS NOT NULL ORDER BY campaign_id`,
  );
  return rows.map((r) => r.campaign_id);
}

/** The cards of a campaign with an open gap. */
export async function cardsWithGaps(pool: Pool, campaignId: string): Promise<string[]> {
  const { rows } = await pool.query<{ voucher_id: string }>(`SELECT DISTINCT voucher_id FROM ledger_gaps WHERE campaign_id = $1`, [campaignId]);
  return rows.map((r) => r.voucher_id);
}

/** A card's points transactions as the ledger holds them (derived entries left out): what reconciliation compares. */
export interface CardTransaction {
  transaction_id: string;
  transaction_type: string | null;
  points: number | null;
  occurred_at: string | null;
}

/** A card's points transactions and its balance after its newest entry (null: no entry). */
export async function cardTransactions(pool: Pool, voucherId: string): Promise<{ transactions: CardTransaction[]; balance: number | null }> {
  const [transactions, balance] = await Promise.all([
    pool.query(
      `SELECT transaction_id, transaction_type, points::float8 AS points, occurred_at FROM ledger_entries
        WHERE voucher_id = $1 AND transaction_id IS NOT NULL AND NOT derived AND unit = 'points'`,
      [voucherId],
    ),
    pool.query(
      `SELECT balance_after::float8 AS balance FROM ledger_entries WHERE voucher_id = $1 AND unit = 'points' ORDER BY occurred_at DESC NULLS LAST, seq DESC LIMIT 1`,
      [voucherId],
    ),
  ]);
  return {
    transactions: transactions.rows.map((r) => ({
      transaction_id: r.transaction_id,
      transaction_type: r.transaction_type,
      points: r.points,
      occurred_at: r.occurred_at ? (r.occurred_at as Date).toISOString() : null,
    })),
    balance: balance.rows.length ? balance.rows[0].balance : null,
  };
}
