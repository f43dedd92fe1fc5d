import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool, PoolClient } from 'pg';
import { chainHead } from '@ledger/event-store';
import { RESOLVED_CUSTOMER } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { csvTable } from '../http/csv';
import type { CustomerStatementDto, StatementCardDto } from './customer-statement.dto';
import { CardExpiring, expiringOfCards } from '../expiring-points/points-due';

/** A statement names the points due to expire in this many days from the day it is made. */
const EXPIRING_WINDOW_DAYS = 90;

/** The most entries a statement lists per card: a page of a browser still renders them, a year of a busy card fits. */
export const STATEMENT_MAX_ENTRIES = 20_000;
/** The most cards it covers: a sender could give one customer any number of cards, an answer stays bounded. */
export const STATEMENT_MAX_CARDS = 100;

export class CustomerStatementQuery extends Query<CustomerStatementDto | null> {
  constructor(
    readonly idOrSourceId: string,
    /** Inclusive. */
    readonly from: string,
    /** Exclusive. */
    readonly to: string,
  ) {
    super();
  }
}

const LAST_BEFORE = (bound: string) => `(SELECT balance_after FROM ledger_entries e
  WHERE e.voucher_id = lc.voucher_id AND e.unit = 'points' AND (e.occurred_at < ${bound} OR e.occurred_at IS NULL)
  ORDER BY e.occurred_at DESC NULLS LAST, e.seq DESC LIMIT 1)`;

/** Each card of the customer with its balances at both ends and its pending points at the end (a card known only to the ledger is not theirs yet). */
const CARDS_SQL = `WITH ${RESOLVED_CUSTOMER}
  SELECT customer.resolved_id, c.name, lc.voucher_id, lc.code, lc.campaign_id, lc.campaign_name,
         COALESCE(${LAST_BEFORE('$2')}, 0) AS opening, COALESCE(${LAST_BEFORE('$3')}, 0) AS closing,
         COALESCE(
           (SELECT pending_after FROM pending_point_movements m WHERE m.voucher_id = lc.voucher_id AND (m.occurred_at < $3 OR m.occurred_at IS NULL)
            ORDER BY m.occurred_at DESC NULLS LAST, m.seq DESC LIMIT 1),
           (SELECT pending_points FROM ledger_observations o WHERE o.voucher_id = lc.voucher_id AND o.pending_points IS NOT NULL AND (o.observed_at < $3 OR o.observed_at IS NULL)
            ORDER BY o.observed_at DESC NULLS LAST LIMIT 1)) AS pending,
         COALESCE((lc.deleted AND (lc.deleted_at IS NULL OR lc.deleted_at < $3))
           OR EXISTS (SELECT 1 FROM campaigns cp WHERE cp.id = lc.campaign_id AND cp.deleted AND (cp.deleted_at IS NULL OR cp.deleted_at < $3)), false) AS deleted
  FROM customer
  LEFT JOIN customers c ON c.id = customer.resolved_id
  LEFT JOIN loyalty_cards lc ON lc.customer_id = customer.resolved_id
  ORDER BY lc.code, lc.voucher_id
  LIMIT ${STATEMENT_MAX_CARDS + 1}`;

/** The period's entries of the cards, oldest first, one past the cap per card to tell a truncated list. */
const ENTRIES_SQL = `SELECT e.* FROM unnest($1::text[]) AS card(voucher_id) CROSS JOIN LATERAL (
    SELECT voucher_id, occurred_at, kind, points, balance_after, gap_before, reason, transaction_id, seq FROM ledger_entries
    WHERE voucher_id = card.voucher_id AND unit = 'points' AND occurred_at >= $2 AND occurred_at < $3
    ORDER BY occurred_at, seq LIMIT ${STATEMENT_MAX_ENTRIES + 1}) e`;

/**
 * A customer's statement for a period: per card, the balance before it, every entry in it with
 * its reason, the balance at its end (opening + entries + unexplained = closing, as the ledger
 * keeps it), the pending points then; and where the ledger stood in the log, so the same
 * statement can be proven later. Null for a customer the ledger never saw.
 */
@QueryHandler(CustomerStatementQuery)
export class CustomerStatementHandler implements IQueryHandler<CustomerStatementQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(query: CustomerStatementQuery): Promise<CustomerStatementDto | null> {
    // One snapshot: the checkpoint, the chain head and every figure are of the same moment, so the
    // log position it names is exactly the one its figures come from.
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return await this.read(client, query);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  private async read(client: PoolClient, { idOrSourceId, from, to }: CustomerStatementQuery): Promise<CustomerStatementDto | null> {
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const expiringUntil = new Date(Date.parse(`${today}T00:00:00Z`) + EXPIRING_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
    const expiringOf = (e: CardExpiring | undefined) => (e ? { points: e.points, until: `${expiringUntil}T00:00:00.000Z`, source: e.source, read_at: e.readAt } : null);
    const checkpoint = await client.query<{ position: string }>(`SELECT position FROM projection_checkpoints WHERE projection = 'ledger'`);
    const head = await chainHead(client as unknown as Pool);
    const cardRows = await client.query(CARDS_SQL, [idOrSourceId, from, to]);
    if (cardRows.rows.length === 0) return null;
    const cards = cardRows.rows.filter((r) => r.voucher_id !== null).slice(0, STATEMENT_MAX_CARDS);
    const entries = await client.query(ENTRIES_SQL, [cards.map((c) => c.voucher_id), from, to]);
    const expiring = await expiringOfCards(client, cards.map((c) => c.voucher_id), today, expiringUntil);
    const byCard = new Map<string, StatementCardDto['entries']>();
    for (const e of entries.rows) {
      const list = byCard.get(e.voucher_id) ?? byCard.set(e.voucher_id, []).get(e.voucher_id)!;
      list.push({
        occurred_at: e.occurred_at ? (e.occurred_at as Date).toISOString() : null,
        kind: e.kind,
        points: e.points === null ? null : Number(e.points),
        balance_after: Number(e.balance_after),
        unexplained_before: Number(e.gap_before),
        reason: e.reason,
        transaction_id: e.transaction_id,
      });
    }
    const statementCards: StatementCardDto[] = cards.map((c) => {
      const listed = byCard.get(c.voucher_id) ?? [];
      return {
        voucher_id: c.voucher_id,
        code: c.code,
        campaign_id: c.campaign_id,
        campaign_name: c.campaign_name,
        opening_balance: Number(c.opening),
        entries: listed.slice(0, STATEMENT_MAX_ENTRIES),
        truncated: listed.length > STATEMENT_MAX_ENTRIES,
        closing_balance: Number(c.closing),
        pending_points: c.pending === null ? null : Number(c.pending),
        deleted: c.deleted,
        expiring_points: expiringOf(expiring.get(c.voucher_id)),
      };
    });
    const sum = (pick: (c: StatementCardDto) => number) => statementCards.reduce((total, c) => total + pick(c), 0);
    return {
      customer_id: cardRows.rows[0].resolved_id,
      name: cardRows.rows[0].name,
      from,
      to,
      generated_at: now.toISOString(),
      log: { position: Number(checkpoint.rows[0]?.position ?? 0), chain_head: head ? { seq: head.seq, position: head.position, hash: head.hash } : null },
      cards: statementCards,
      cards_truncated: cardRows.rows.length > STATEMENT_MAX_CARDS,
      totals: { opening_balance: sum((c) => c.opening_balance), closing_balance: sum((c) => c.closing_balance), pending_points: sum((c) => c.pending_points ?? 0) },
    };
  }
}

const CSV_COLUMNS = ['customer_id', 'voucher_id', 'code', 'campaign_name', 'line', 'occurred_at', 'kind', 'points', 'unexplained_before', 'balance_after', 'reason', 'transaction_id'] as const;
const TEXT_COLUMNS = new Set(['customer_id', 'voucher_id', 'code', 'campaign_name', 'reason', 'transaction_id']);

/** One line per entry, framed by each card's opening, closing and pending lines; the log position and chain head last. */
export function statementCsv(s: CustomerStatementDto): string {
  const rows: Record<string, unknown>[] = [];
  for (const c of s.cards) {
    const card = { customer_id: s.customer_id, voucher_id: c.voucher_id, code: c.code, campaign_name: c.campaign_name };
    rows.push({ ...card, line: 'opening', occurred_at: s.from, balance_after: c.opening_balance });
    for (const e of c.entries) rows.push({ ...card, line: 'entry', ...e });
    rows.push({ ...card, line: c.truncated ? 'closing (entries truncated)' : 'closing', occurred_at: s.to, balance_after: c.closing_balance });
    rows.push({ ...card, line: 'pending', occurred_at: s.to, points: c.pending_points });
    if (c.expiring_points) rows.push({ ...card, line: 'expiring', occurred_at: c.expiring_points.until, points: c.expiring_points.points, reason: `due before this day; from ${c.expiring_points.source}` });
  }
  rows.push({ customer_id: s.customer_id, line: 'log', reason: `position ${s.log.position}; chain head ${s.log.chain_head ? `${s.log.chain_head.position}:${s.log.chain_head.hash}` : 'none'}` });
  return csvTable(CSV_COLUMNS, rows, TEXT_COLUMNS);
}
