import type { Pool } from 'pg';
import { campaignStatusSql } from '../campaigns/campaign.evolve';
import { Column, columnNames } from '../sql-rows';

/*
 * The reads that span read models: a customer resolved from whichever read model has seen them
 * (a profile, a card, a holding, a tier), with totals over their cards. Each read model's own
 * customer-scoped query starts from RESOLVED_CUSTOMER (customerRows) rather than resolving the
 * customer again; what is here belongs to no single read model.
 */

export interface CustomerView {
  id: string;
  source_id: string | null;
  name: string | null;
  email: string | null;
  metadata: Record<string, unknown> | null;
  deleted: boolean;
  /** True when the profile's time is the received time standing in for a source time that could not be believed. */
  source_time_untrusted: boolean;
  /**
   * Totals over the customer's cards that are not deleted (by voucher.deleted or with their
   * campaign): a deleted card's points are gone in Voucherify. A total is null when a card's amount could not be read (an
   * unknown amount makes the sum unknown; adding it as 0 would be a wrong figure) or when the sum
   * is past 2^53 − 1; `points_unreadable` then says so.
   */
  loyalty: {
    points: number | null;
    balance: number | null;
    redeemed_points: number | null;
    pending_points: number | null;
    points_unreadable: boolean;
    cards: number;
  };
}

/**
 * A CTE `customer(resolved_id)`: $1, a `cust_...` id or a `source_id`, resolved to the customer id
 * the ledger knows, from the profile or, for a customer only seen as a card or voucher holder,
 * from those; no row when the ledger has never seen the customer. Every customer query starts
 * with it, so a request costs one round trip to PostgreSQL, not a resolve and then a read.
 */
export const RESOLVED_CUSTOMER = `customer AS (
  SELECT id AS resolved_id FROM customers WHERE id = $1
  UNION ALL SELECT customer_id FROM loyalty_cards WHERE customer_id = $1
  UNION ALL SELECT customer_id FROM voucher_holdings WHERE customer_id = $1
  UNION ALL SELECT customer_id FROM voucher_holder_assignments WHERE customer_id = $1
  UNION ALL SELECT customer_id FROM loyalty_tiers WHERE customer_id = $1
  UNION ALL (SELECT id FROM customers WHERE source_id = $1 ORDER BY profile_at DESC NULLS LAST LIMIT 1)
  LIMIT 1)`;

export interface CustomerRowsQuery {
  /** The prepared statement's name: PostgreSQL parses and plans it once per connection. */
  name: string;
  /** A SELECT of listed columns (never `*`: see columnNames) over one table, scoped with `customer_id = customer.resolved_id`. */
  select: string;
  orderBy: string;
  /** The column that is never null in a real row (null marks a known customer with no rows). */
  key: string;
  limit?: string;
  values: unknown[];
}

/**
 * The rows of a customer-scoped list in one round trip: null when $1 names no customer the
 * ledger knows, else the rows, possibly none.
 */
export async function customerRows(pool: Pool, query: CustomerRowsQuery): Promise<Record<string, any>[] | null> {
  const result = await pool.query({ name: query.name, text: customerRowsSql(query), values: query.values });
  if (result.rows.length === 0) return null;
  return result.rows.filter((row) => row[query.key] !== null);
}

// A statement's name stands for its text: built once per name, not on every request.
const sqlByName = new Map<string, string>();

function customerRowsSql(query: CustomerRowsQuery): string {
  let sql = sqlByName.get(query.name);
  if (!sql) {
    const limit = query.limit ? ` LIMIT ${query.limit}` : '';
    // The inner ORDER BY serves the LIMIT; the outer one is what guarantees the answer's order.
    sql = `WITH ${RESOLVED_CUSTOMER}
           SELECT x.* FROM customer LEFT JOIN LATERAL (${query.select} ORDER BY ${query.orderBy}${limit}) x ON true
           ORDER BY ${query.orderBy}`;
    sqlByName.set(query.name, sql);
  }
  return sql;
}

/** A customer's rows of one table: all of them, or those whose `filterColumn` ($2) equals the filter. */
export type FilteredCustomerList = Omit<CustomerRowsQuery, 'values'>;

/** Built once, where the list is defined: a request only adds its values. */
export function filteredCustomerList(list: { name: string; table: string; columns: Column[]; filterColumn: string; orderBy: string; key: string }): FilteredCustomerList {
  return {
    name: list.name,
    select: `SELECT ${columnNames(list.columns)} FROM ${list.table}
             WHERE customer_id = customer.resolved_id AND ($2::text IS NULL OR ${list.filterColumn} = $2)`,
    orderBy: list.orderBy,
    key: list.key,
  };
}

export function filteredCustomerRows(pool: Pool, list: FilteredCustomerList, idOrSourceId: string, filter?: string) {
  return customerRows(pool, { ...list, values: [idOrSourceId, filter ?? null] });
}

/** The customer balance read model: the profile plus totals over the customer's cards; null when unknown. */
export async function findCustomer(pool: Pool, idOrSourceId: string): Promise<CustomerView | null> {
  const result = await pool.query({
    name: 'find-customer',
    text: `WITH ${RESOLVED_CUSTOMER}
     SELECT customer.resolved_id AS id, c.source_id, c.name, c.email, c.metadata, COALESCE(c.deleted, false) AS deleted,
            COALESCE(c.source_time_untrusted, false) AS source_time_untrusted,
            t.points, t.balance, t.redeemed_points, t.pending_points, t.cards
     FROM customer
     LEFT JOIN customers c ON c.id = customer.resolved_id
     CROSS JOIN LATERAL (
       -- A null amount (unreadable) makes its total null: sum() would silently skip it.
       SELECT ${TOTAL('points')} AS points, ${TOTAL('balance')} AS balance, ${TOTAL('redeemed_points')} AS redeemed_points,
              ${TOTAL('pending_points')} AS pending_points, count(*) AS cards
       FROM loyalty_cards
       WHERE customer_id = customer.resolved_id AND status <> 'deleted' AND ${campaignStatusSql('loyalty_cards.campaign_id')} IS DISTINCT FROM 'deleted'
     ) t`,
    values: [idOrSourceId],
  });
  const row = result.rows[0];
  if (!row) return null;
  const totals = {
    points: safeTotal(row.points),
    balance: safeTotal(row.balance),
    redeemed_points: safeTotal(row.redeemed_points),
    pending_points: safeTotal(row.pending_points),
  };
  return {
    id: row.id,
    source_id: row.source_id,
    name: row.name,
    email: row.email,
    metadata: row.metadata,
    deleted: row.deleted,
    source_time_untrusted: row.source_time_untrusted,
    loyalty: { ...totals, points_unreadable: Object.values(totals).some((v) => v === null), cards: Number(row.cards) },
  };
}

/** Sum of one amount over the cards: 0 without cards, null when one card's amount is null. */
const TOTAL = (column: string) => `CASE WHEN bool_and(${column} IS NOT NULL) IS NOT FALSE THEN COALESCE(sum(${column}), 0) END`;

/** A sum as PostgreSQL gives it (numeric text), or null when it is null or past what a JSON number holds exactly. */
function safeTotal(value: string | null): number | null {
  if (value === null) return null;
  const total = Number(value);
  return Number.isSafeInteger(total) ? total : null;
}
