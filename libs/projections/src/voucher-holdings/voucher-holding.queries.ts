import type { Pool } from 'pg';
import { filteredCustomerList, filteredCustomerRows } from '../customers/customer.queries';
import { toNullableInt } from '../sql-rows';
import { VOUCHER_HOLDING_COLUMNS } from './voucher-holdings.read-model';

function present(row: Record<string, any>) {
  return {
    voucher_id: row.voucher_id,
    code: row.code,
    type: row.type,
    campaign_id: row.campaign_id,
    campaign_name: row.campaign_name,
    active: row.active,
    discount: row.discount,
    gift: row.gift,
    redemption: {
      quantity: row.quantity === null ? null : Number(row.quantity),
      redeemed_quantity: row.redeemed_quantity === null ? null : Number(row.redeemed_quantity),
      // Given but not a safe integer: null, never 0 or rounded.
      quantity_unreadable: row.quantity_unreadable,
    },
    acquired_at: row.acquired_at ? row.acquired_at.toISOString() : null,
    acquired_via: row.acquired_via,
    // A time this holding is ordered by is the received time standing in for one that could not be believed.
    source_time_untrusted: row.acquired_at_untrusted || row.snapshot_at_untrusted,
    status: row.status,
    customer_id: row.customer_id,
  };
}

const CUSTOMER_VOUCHER_HOLDINGS = filteredCustomerList({
  name: 'customer-voucher-holdings',
  table: 'voucher_holdings',
  columns: VOUCHER_HOLDING_COLUMNS,
  filterColumn: 'status',
  orderBy: 'acquired_at NULLS LAST, voucher_id',
  key: 'voucher_id',
});

/** The vouchers the customer holds ($1: id or source_id); null when the customer is unknown. */
export async function listVoucherHoldings(pool: Pool, idOrSourceId: string, status?: string) {
  const rows = await filteredCustomerRows(pool, CUSTOMER_VOUCHER_HOLDINGS, idOrSourceId, status);
  return rows && rows.map(present);
}

/** A voucher by id or code, with its holder and, for a loyalty card, its balances. */
export async function findVoucher(pool: Pool, idOrCode: string) {
  const result = await pool.query(
    `SELECT h.*, c.name AS holder_name, c.source_id AS holder_source_id,
            lc.voucher_id AS card_voucher_id, lc.points, lc.balance, lc.redeemed_points, lc.pending_points,
            (lc.points IS NULL OR lc.balance IS NULL OR lc.redeemed_points IS NULL OR lc.expired_points IS NULL
              OR lc.subtracted_points IS NULL OR lc.pending_points IS NULL) AS card_points_unreadable
     FROM voucher_holdings h
     LEFT JOIN customers c ON c.id = h.customer_id
     LEFT JOIN loyalty_cards lc ON lc.voucher_id = h.voucher_id
     WHERE (h.voucher_id = $1 OR h.code = $1) AND h.customer_id IS NOT NULL
     ORDER BY (h.voucher_id = $1) DESC
     LIMIT 1`,
    [idOrCode],
  );
  const row = result.rows[0];
  if (!row) return null;
  const { customer_id, ...voucher } = present(row);
  return {
    ...voucher,
    holder: { id: customer_id, source_id: row.holder_source_id, name: row.holder_name },
    loyalty_card:
      row.card_voucher_id === null
        ? null
        : {
            // An amount that could not be read is null, never 0.
            points: toNullableInt(row.points),
            balance: toNullableInt(row.balance),
            redeemed_points: toNullableInt(row.redeemed_points),
            pending_points: toNullableInt(row.pending_points),
            points_unreadable: row.card_points_unreadable,
          },
  };
}
