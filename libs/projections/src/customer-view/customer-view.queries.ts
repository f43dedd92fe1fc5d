import type { Pool } from 'pg';
import { Column, columnNames } from '../sql-rows';

/*
 * What spans read models: a customer resolved from whichever read model has seen them (a
 * profile, a card, a holding, a tier). Every customer-scoped read starts from RESOLVED_CUSTOMER
 * (customerRows) rather than resolving the customer again; what is here belongs to no single
 * read model.
 */

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
