import type { CardAsOfDto } from './ledger.dto';

/*
 * Balances as they stood at a source time ($2), read from the ledger: per card, the last entry at
 * or before that time (one index probe on (voucher_id, occurred_at, seq)), and the pending points
 * then (LAST_PENDING). One query per request, never a replay of the log. Shared by
 * the as-of reads of a card, of a customer's cards and of a customer's totals.
 */

export const LAST_ENTRY = (card: string) => `
  SELECT balance_after, total_after, redeemed_after, expired_after, subtracted_after FROM ledger_entries
  WHERE voucher_id = ${card} AND unit = 'points' AND (occurred_at <= $2 OR occurred_at IS NULL)
  ORDER BY occurred_at DESC NULLS LAST, seq DESC LIMIT 1`;
/**
 * The card's pending points then: after its last pending movement by then (the pending ledger),
 * else as its last snapshot by then showed them (a card whose pending webhooks were not subscribed).
 */
export const LAST_PENDING = (card: string) => `
  SELECT COALESCE(
    (SELECT pending_after FROM pending_point_movements
     WHERE voucher_id = ${card} AND (occurred_at <= $2 OR occurred_at IS NULL)
     ORDER BY occurred_at DESC NULLS LAST, seq DESC LIMIT 1),
    (SELECT pending_points FROM ledger_observations
     WHERE voucher_id = ${card} AND pending_points IS NOT NULL AND (observed_at <= $2 OR observed_at IS NULL)
     ORDER BY observed_at DESC NULLS LAST LIMIT 1)) AS pending_points`;

/**
 * Whether the card was known to the ledger by then, with its last entry joined (LEFT) as e: it had
 * an entry, or a pending movement (points put pending before any reached the card).
 */
export const KNOWN_BY_THEN = (card: string) => `(e.balance_after IS NOT NULL OR EXISTS (
  SELECT 1 FROM pending_point_movements m WHERE m.voucher_id = ${card} AND (m.occurred_at <= $2 OR m.occurred_at IS NULL)))`;

/**
 * When the card (alias lc) was deleted: itself, or with its campaign (deleting a campaign deletes
 * its cards), the earlier of the two; a deletion of unknown time counts from the start
 * (-infinity); null while neither is. The as-of answers and the period report's pending figures
 * both go by it.
 */
export const DELETED_AT = `LEAST(
  CASE WHEN lc.deleted THEN COALESCE(lc.deleted_at, '-infinity') END,
  (SELECT COALESCE(cp.deleted_at, '-infinity') FROM campaigns cp WHERE cp.id = lc.campaign_id AND cp.deleted))`;
/** Whether the card (alias lc) was deleted by $2. */
export const DELETED_BY_THEN = `COALESCE(${DELETED_AT} <= $2, false)`;
export const CARD_COLUMNS = `lc.code, lc.campaign_id, lc.campaign_name, lc.customer_id, ${DELETED_BY_THEN} AS deleted`;
export const AS_OF_COLUMNS = `e.total_after AS points, e.balance_after AS balance, e.redeemed_after AS redeemed_points,
  e.expired_after AS expired_points, e.subtracted_after AS subtracted_points,
  CASE WHEN ${DELETED_BY_THEN} THEN 0 ELSE p.pending_points END AS pending_points`;

/** The amounts of AS_OF_COLUMNS (bigint: text from pg). */
export interface AsOfAmounts {
  points: string;
  balance: string;
  redeemed_points: string;
  expired_points: string;
  subtracted_points: string;
  pending_points: string | null;
}

/** A row of CARD_COLUMNS and AS_OF_COLUMNS. */
export interface CardAsOfRow extends AsOfAmounts {
  voucher_id: string;
  code: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  customer_id: string | null;
  deleted: boolean;
}

export function presentCardAsOf(row: CardAsOfRow, asOf: string): CardAsOfDto {
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
    // From the pending ledger, else the snapshots: null when neither was seen by then.
    pending_points: row.pending_points === null ? null : Number(row.pending_points),
    as_of: asOf,
  };
}
