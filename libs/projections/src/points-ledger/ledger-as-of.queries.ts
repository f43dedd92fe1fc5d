import type { Pool } from 'pg';
import { RESOLVED_CUSTOMER } from '../customer-view/customer-view.queries';

/**
 * Balances as they stood at a source time, read from the ledger: per card, the last entry at or
 * before that time (one index probe on (voucher_id, occurred_at, seq)), and the pending points of
 * the last snapshot at or before it. One query per request, never a replay of the log.
 */
const LAST_ENTRY = (card: string) => `
  SELECT balance_after, total_after, redeemed_after, expired_after, subtracted_after FROM ledger_entries
  WHERE voucher_id = ${card} AND unit = 'points' AND (occurred_at <= $2 OR occurred_at IS NULL)
  ORDER BY occurred_at DESC NULLS LAST, seq DESC LIMIT 1`;
const LAST_PENDING = (card: string) => `
  SELECT pending_points FROM ledger_observations
  WHERE voucher_id = ${card} AND pending_points IS NOT NULL AND (observed_at <= $2 OR observed_at IS NULL)
  ORDER BY observed_at DESC NULLS LAST LIMIT 1`;

/**
 * Whether the card (alias lc) was deleted by $2: itself, or with its campaign (deleting a campaign
 * deletes its cards). A deletion of unknown time counts from the start.
 */
const DELETED_BY_THEN = `COALESCE(
  (lc.deleted AND (lc.deleted_at IS NULL OR lc.deleted_at <= $2))
  OR EXISTS (SELECT 1 FROM campaigns cp WHERE cp.id = lc.campaign_id AND cp.deleted AND (cp.deleted_at IS NULL OR cp.deleted_at <= $2)),
  false)`;
const CARD_COLUMNS = `lc.code, lc.campaign_id, lc.campaign_name, lc.customer_id, ${DELETED_BY_THEN} AS deleted`;
const AS_OF_COLUMNS = `e.total_after AS points, e.balance_after AS balance, e.redeemed_after AS redeemed_points,
  e.expired_after AS expired_points, e.subtracted_after AS subtracted_points, p.pending_points`;

interface AsOfRow {
  voucher_id: string;
  code: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  customer_id: string | null;
  deleted: boolean;
  points: string;
  balance: string;
  redeemed_points: string;
  expired_points: string;
  subtracted_points: string;
  pending_points: string | null;
}

function presentCardAsOf(row: AsOfRow, asOf: string) {
  return {
    voucher_id: row.voucher_id,
    code: row.code,
    campaign_id: row.campaign_id,
    campaign_name: row.campaign_name,
    customer_id: row.customer_id,
    // Deleted by then (the card or its campaign): its points were gone in Voucherify.
    deleted: row.deleted,
    points: Number(row.points),
    balance: Number(row.balance),
    redeemed_points: Number(row.redeemed_points),
    expired_points: Number(row.expired_points),
    subtracted_points: Number(row.subtracted_points),
    // Known only from snapshots: null when none was seen by then.
    pending_points: row.pending_points === null ? null : Number(row.pending_points),
    as_of: asOf,
  };
}
export type CardAsOf = ReturnType<typeof presentCardAsOf>;

/** A card (id or code) as it stood at `asOf`; null when it had no ledger entry yet. */
export async function findCardAsOf(pool: Pool, idOrCode: string, asOf: string): Promise<CardAsOf | null> {
  const result = await pool.query<AsOfRow>({
    name: 'ledger-card-as-of',
    text: `WITH card AS (
             (SELECT voucher_id FROM loyalty_cards WHERE voucher_id = $1 OR code = $1 ORDER BY (voucher_id = $1) DESC LIMIT 1)
             UNION ALL (SELECT voucher_id FROM ledger_entries WHERE voucher_id = $1 LIMIT 1)
             LIMIT 1)
           SELECT card.voucher_id, ${CARD_COLUMNS}, ${AS_OF_COLUMNS}
           FROM card
           JOIN LATERAL (${LAST_ENTRY('card.voucher_id')}) e ON true
           LEFT JOIN LATERAL (${LAST_PENDING('card.voucher_id')}) p ON true
           LEFT JOIN loyalty_cards lc ON lc.voucher_id = card.voucher_id`,
    values: [idOrCode, asOf],
  });
  return result.rows[0] ? presentCardAsOf(result.rows[0], asOf) : null;
}

/** The customer's cards that had ledger entries at `asOf`, as they stood then; null for an unknown customer. */
export async function listCardsAsOf(pool: Pool, idOrSourceId: string, asOf: string): Promise<CardAsOf[] | null> {
  const result = await pool.query<AsOfRow & { resolved_id: string }>({
    name: 'ledger-customer-cards-as-of',
    text: `WITH ${RESOLVED_CUSTOMER}
           SELECT customer.resolved_id, x.* FROM customer LEFT JOIN LATERAL (
             SELECT lc.voucher_id, ${CARD_COLUMNS}, ${AS_OF_COLUMNS}
             FROM loyalty_cards lc
             JOIN LATERAL (${LAST_ENTRY('lc.voucher_id')}) e ON true
             LEFT JOIN LATERAL (${LAST_PENDING('lc.voucher_id')}) p ON true
             WHERE lc.customer_id = customer.resolved_id) x ON true
           ORDER BY x.code, x.voucher_id`,
    values: [idOrSourceId, asOf],
  });
  if (result.rows.length === 0) return null;
  return result.rows.filter((r) => r.voucher_id !== null).map((r) => presentCardAsOf(r, asOf));
}

/**
 * The customer with totals over their cards as they stood at `asOf` (zeros before their first
 * entry), in one query: the profile and each card's last entry by then. Cards deleted by then are
 * left out, as the current totals leave out deleted cards. Null for an unknown customer. The
 * profile is the current one: the ledger keeps points, not profiles, over time.
 */
export async function findCustomerAsOf(pool: Pool, idOrSourceId: string, asOf: string) {
  const result = await pool.query({
    name: 'ledger-customer-as-of',
    text: `WITH ${RESOLVED_CUSTOMER}
           SELECT customer.resolved_id AS id, c.source_id, c.name, c.email, c.metadata, COALESCE(c.deleted, false) AS deleted,
                  COALESCE(c.source_time_untrusted, false) AS source_time_untrusted, x.*
           FROM customer
           LEFT JOIN customers c ON c.id = customer.resolved_id
           LEFT JOIN LATERAL (
             SELECT lc.voucher_id, ${AS_OF_COLUMNS}
             FROM loyalty_cards lc
             JOIN LATERAL (${LAST_ENTRY('lc.voucher_id')}) e ON true
             LEFT JOIN LATERAL (${LAST_PENDING('lc.voucher_id')}) p ON true
             WHERE lc.customer_id = customer.resolved_id AND NOT ${DELETED_BY_THEN}) x ON true`,
    values: [idOrSourceId, asOf],
  });
  const first = result.rows[0];
  if (!first) return null;
  const cards = result.rows.filter((r) => r.voucher_id !== null);
  const sum = (column: string) => cards.reduce((total, r) => total + Number(r[column] ?? 0), 0);
  return {
    id: first.id,
    source_id: first.source_id,
    name: first.name,
    email: first.email,
    metadata: first.metadata,
    deleted: first.deleted,
    source_time_untrusted: first.source_time_untrusted,
    loyalty: {
      points: sum('points'),
      balance: sum('balance'),
      redeemed_points: sum('redeemed_points'),
      pending_points: sum('pending_points'),
      points_unreadable: false,
      cards: cards.length,
    },
    as_of: asOf,
  };
}
