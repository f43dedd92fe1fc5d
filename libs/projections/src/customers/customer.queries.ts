import type { Pool } from 'pg';

export interface CustomerView {
  id: string;
  source_id: string | null;
  name: string | null;
  email: string | null;
  metadata: Record<string, unknown> | null;
  deleted: boolean;
  loyalty: { points: number; balance: number; redeemed_points: number; pending_points: number; cards: number };
}

/**
 * Resolves a `cust_...` id or a `source_id` to the customer id the ledger knows, from the
 * profile or, for a customer only seen as a card holder, from the cards.
 */
export async function resolveCustomerId(pool: Pool, idOrSourceId: string): Promise<string | null> {
  const result = await pool.query<{ id: string }>(
    `SELECT id FROM customers WHERE id = $1
     UNION ALL SELECT customer_id FROM loyalty_cards WHERE customer_id = $1
     UNION ALL SELECT customer_id FROM voucher_holdings WHERE customer_id = $1
     UNION ALL (SELECT id FROM customers WHERE source_id = $1 ORDER BY profile_at DESC NULLS LAST LIMIT 1)
     LIMIT 1`,
    [idOrSourceId],
  );
  return result.rows[0]?.id ?? null;
}

/** The customer balance read model: the profile plus totals over the customer's cards. */
export async function findCustomer(pool: Pool, customerId: string): Promise<CustomerView> {
  const result = await pool.query(
    `SELECT c.source_id, c.name, c.email, c.metadata, COALESCE(c.deleted, false) AS deleted,
            COALESCE(t.points, 0) AS points, COALESCE(t.balance, 0) AS balance,
            COALESCE(t.redeemed_points, 0) AS redeemed_points, COALESCE(t.pending_points, 0) AS pending_points,
            COALESCE(t.cards, 0) AS cards
     FROM (SELECT $1::text AS id) k
     LEFT JOIN customers c ON c.id = k.id
     LEFT JOIN (
       SELECT customer_id, sum(points) AS points, sum(balance) AS balance, sum(redeemed_points) AS redeemed_points,
              sum(pending_points) AS pending_points, count(*) AS cards
       FROM loyalty_cards WHERE customer_id = $1 GROUP BY customer_id
     ) t ON t.customer_id = k.id`,
    [customerId],
  );
  const row = result.rows[0];
  return {
    id: customerId,
    source_id: row.source_id,
    name: row.name,
    email: row.email,
    metadata: row.metadata,
    deleted: row.deleted,
    loyalty: {
      points: Number(row.points),
      balance: Number(row.balance),
      redeemed_points: Number(row.redeemed_points),
      pending_points: Number(row.pending_points),
      cards: Number(row.cards),
    },
  };
}
